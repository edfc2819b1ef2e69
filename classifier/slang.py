"""Slang, abbreviations and regional words → standard Indonesian, token by token.

Our own table, written for messages to the Banyuwangi regency: chat abbreviations (yg, gk,
tdk, bgt), Javanese (kulo, nyuwun, sampeyan, mboten) and Osing, the language of Banyuwangi
(isun = saya, riko = anda, lare = anak, hing = tidak). Only unambiguous words are listed:
Javanese "mau" (= tadi) is left out because "mau bunuh diri" must keep its meaning, and so
is "loro" (sakit, but also "two"). A value may be several words.

One word is read by its neighbours: "sing" is Osing for "tidak" ("isun wis sing kuat urip",
"sing ana uwong") but Javanese for "yang" ("wong sing lara"). ``read_sing`` takes it as the
negator when a predicate follows it or "sudah"/a pronoun comes before it, else as "yang".
"""

SLANG: dict[str, str] = {
    # pronouns and address
    "sy": "saya", "aku": "saya", "aq": "saya", "gue": "saya", "gw": "saya", "gua": "saya",
    "kulo": "saya", "kula": "saya", "isun": "saya", "ingsun": "saya", "reang": "saya",
    "sampeyan": "anda", "njenengan": "anda", "panjenengan": "anda", "riko": "anda",
    "sampean": "anda", "km": "kamu", "lu": "kamu", "lo": "kamu", "kowe": "kamu",
    "bpk": "bapak", "pak": "bapak", "bapak2": "bapak", "bu": "ibu", "bunda": "ibu", "mak": "ibu",
    "emak": "ibu", "mbok": "ibu", "min": "admin", "mimin": "admin", "dek": "adik", "adek": "adik",
    "ortu": "orang tua", "org": "orang", "wong": "orang", "warga2": "warga",
    "lare": "anak", "bocah": "anak", "cah": "anak", "anakku": "anak saya", "anake": "anak",
    "bayiku": "bayi saya", "putra": "anak", "putri": "anak",
    # negation and aspect
    "gk": "tidak", "ga": "tidak", "gak": "tidak", "ngga": "tidak", "nggak": "tidak",
    "enggak": "tidak", "engga": "tidak", "ndak": "tidak", "nda": "tidak", "tdk": "tidak",
    "tak": "tidak", "ora": "tidak", "mboten": "tidak", "hing": "tidak", "dak": "tidak",
    "blm": "belum", "blom": "belum", "belom": "belum", "durung": "belum", "urung": "belum",
    "udh": "sudah", "udah": "sudah", "sdh": "sudah", "dah": "sudah", "wes": "sudah",
    "uwes": "sudah", "wis": "sudah", "sampun": "sudah", "lg": "lagi", "lagi2": "lagi",
    "msh": "masih", "masi": "masih", "tasik": "masih", "jg": "juga", "jga": "juga",
    "aja": "saja", "ae": "saja", "doang": "saja", "bs": "bisa", "bsa": "bisa", "iso": "bisa",
    "isa": "bisa", "hrs": "harus", "kudu": "harus", "mo": "mau", "pengen": "ingin",
    "pingin": "ingin", "kepingin": "ingin",
    # function words
    "yg": "yang", "sing": "yang", "seng": "yang",  # "sing": see read_sing "dgn": "dengan", "dg": "dengan",
    "dng": "dengan", "karo": "dengan", "sm": "sama", "ama": "sama", "dr": "dari", "dri": "dari",
    "teko": "dari", "tekan": "sampai", "sampe": "sampai", "smp": "sampai", "kpd": "kepada",
    "utk": "untuk", "tuk": "untuk", "buat": "untuk", "krn": "karena", "karna": "karena",
    "soale": "karena", "mergo": "karena", "tp": "tetapi", "tpi": "tetapi", "tapi": "tetapi",
    "nanging": "tetapi", "dlm": "dalam", "dlu": "dulu", "trus": "terus", "trs": "terus",
    "terus2": "terus", "klo": "kalau", "kalo": "kalau", "kl": "kalau", "yen": "kalau",
    "nek": "kalau", "ato": "atau", "atw": "atau", "utawa": "atau", "ni": "ini", "iki": "ini",
    "niki": "ini", "iku": "itu", "niku": "itu", "kuwi": "itu", "gitu": "begitu", "gini": "begini",
    "pd": "pada", "ad": "ada", "onok": "ada", "enek": "ada", "wonten": "ada", "ana": "ada",
    "gmn": "bagaimana", "gimana": "bagaimana", "gmna": "bagaimana", "piye": "bagaimana",
    "kepriye": "bagaimana", "knp": "kenapa", "napa": "kenapa", "ngapa": "kenapa",
    "kok": "kenapa", "kapan2": "kapan", "brp": "berapa", "pira": "berapa", "pinten": "berapa",
    "dmn": "dimana", "endi": "mana", "ndi": "mana", "pripun": "bagaimana",
    # time
    "skrg": "sekarang", "skr": "sekarang", "skrng": "sekarang", "saiki": "sekarang",
    "sakniki": "sekarang", "td": "tadi", "tdi": "tadi", "kmrn": "kemarin", "kemaren": "kemarin",
    "wingi": "kemarin", "mlm": "malam", "malem": "malam", "bengi": "malam", "esuk": "pagi",
    "isuk": "pagi", "sore2": "sore", "bsk": "besok", "sesuk": "besok", "jm": "jam",
    "hr": "hari", "dino": "hari", "bln": "bulan", "thn": "tahun", "th": "tahun", "mgg": "minggu",
    "sebentar2": "sebentar", "cpt": "cepat", "cepet": "cepat", "gage": "cepat", "ndang": "cepat",
    "segera2": "segera",
    # asking, helping, thanking
    "tlg": "tolong", "tolongin": "tolong", "tulung": "tolong", "tulungi": "tolong",
    "nyuwun": "mohon", "mhn": "mohon", "monggo": "silakan", "mangga": "silakan",
    "makasih": "terima kasih", "mksh": "terima kasih", "mks": "terima kasih",
    "trims": "terima kasih", "thx": "terima kasih", "tq": "terima kasih", "suwun": "terima kasih",
    "nuwun": "terima kasih", "matursuwun": "terima kasih", "maturnuwun": "terima kasih",
    "bgt": "sangat", "banget": "sangat", "bngt": "sangat", "pol": "sangat", "temen": "sangat",
    "byk": "banyak", "akeh": "banyak", "kathah": "banyak", "sdkt": "sedikit", "titik": "sedikit",
    # places and services
    "jln": "jalan", "jl": "jalan", "jalanan": "jalan", "dalan": "jalan", "ratan": "jalan",
    "omah": "rumah", "griya": "rumah", "rmh": "rumah", "dsn": "dusun", "ds": "desa",
    "kec": "kecamatan", "kab": "kabupaten", "bwi": "banyuwangi", "byw": "banyuwangi",
    "pkm": "puskesmas", "pusk": "puskesmas", "ambulan": "ambulans", "ambulance": "ambulans",
    "ambulanse": "ambulans", "ektp": "ktp", "ktpel": "ktp", "sklh": "sekolah",
    "sekolahe": "sekolah", "listrike": "listrik", "banyune": "air",
    # states and events
    # Javanese and Osing words of the self-harm and exploitation rules (classifier/rules.py)
    "urip": "hidup", "maneh": "lagi", "wae": "saja", "baen": "saja", "bain": "saja",
    "nglarani": "menyakiti", "nyakiti": "menyakiti", "disilih": "dipinjam",
    "disilihaken": "dipinjamkan", "disilihno": "dipinjamkan", "dikongkon": "disuruh",
    "dikirimno": "dikirim", "dikirimaken": "dikirim", "dirabekno": "dinikahkan",
    "dirabekaken": "dinikahkan", "dirabikno": "dinikahkan", "kerjo": "kerja",
    "isih": "masih", "putuku": "cucu saya", "putune": "cucu",
    "lemes": "lemas", "ilang": "hilang", "ngilang": "hilang", "kobong": "terbakar",
    "kobongan": "kebakaran", "kebanjiran": "banjir", "mangan": "makan", "maem": "makan",
    "ngombe": "minum", "turu": "tidur", "mati2an": "mati", "nangis": "menangis",
    "mlayu": "lari", "tibo": "jatuh", "tiba": "jatuh", "ceblok": "jatuh", "semaput": "pingsan",
    "klenger": "pingsan", "pingsun": "pingsan", "kejang2": "kejang", "step": "kejang",
    "getih": "darah", "rusak2": "rusak", "ancur": "hancur", "bolong": "berlubang",
    "lobang": "lubang", "ambrol": "ambruk", "jebol": "rusak", "mampet": "tersumbat",
    "buntet": "tersumbat", "mbludak": "meluap", "sampah2": "sampah", "bau2": "bau",
    "mambu": "bau", "pungutan": "pungli", "ngamuk": "mengamuk", "maling": "pencuri",
    "kemalingan": "kecurian", "balapan": "balap", "trek2an": "balap", "bengkerengan": "berkelahi",
    "gelut": "berkelahi", "mendem": "mabuk", "apik": "bagus", "mantap": "bagus",
    "mantul": "bagus", "keren": "bagus", "josss": "bagus", "jos": "bagus",
}

# Words that Osing negates with "sing" (standard forms, after SLANG): "sing ana" = "tidak ada",
# "sing kuat" = "tidak kuat", "sing gelem" = "tidak mau". Javanese "sing" (= "yang") is
# followed by a noun or an adjective describing one ("sing lara", "sing penting").
_NEGATED_AFTER_SING = frozenset({
    "ada", "kuat", "bisa", "mau", "gelem", "ingin", "boleh", "oleh", "usah", "perlu", "butuh",
    "tahu", "ngerti", "weruh", "eruh", "pernah", "punya", "duwe", "wani", "berani", "sanggup",
    "betah", "tahan", "sudah", "mari", "kenek", "kena", "popo", "apa", "teko", "datang", "pulang",
    "mulih", "ketemu", "sadar", "bangun", "makan", "minum", "tidur", "lagi", "masuk", "jadi",
})
# …or that come just before an Osing negation: "wis sing", "isun sing", "riko sing".
_NEGATOR_BEFORE_SING = frozenset({"sudah", "saya", "anda", "kamu", "masih", "dia", "ya"})


def read_sing(before: str | None, after: str | None) -> str:
    """Standard form of "sing" between two (already standard) neighbours: "tidak" or "yang"."""
    if after in _NEGATED_AFTER_SING or before in _NEGATOR_BEFORE_SING:
        return "tidak"
    return "yang"
