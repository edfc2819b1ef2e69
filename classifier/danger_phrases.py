"""The danger phrases of the urgency safety layer (classifier.rules): one Rule per kind of
danger, its pattern on normalised text (classifier.text.normalize: slang and Javanese/Osing
words already standard, "lare"/"bocah" → "anak", "wong" → "orang", "ora" → "tidak"), the
urgency it raises to and whether it is a thought or intent (dangerous even when said
earlier). The first rule that matches decides, so every kritis rule comes before the
tinggi ones (checked at import). classifier.rules holds the guards and the matching."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from store.vocabulary import CRITICAL, URGENCIES, URGENCY_RANK

HIGH = URGENCIES[1]  # tinggi


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    urgency: str = CRITICAL
    intent: bool = False  # a thought or intent: dangerous even when said earlier


def _r(name: str, pattern: str, urgency: str = CRITICAL, intent: bool = False) -> Rule:
    return Rule(name, re.compile(pattern), urgency, intent)


# Being trapped or swept away is kritis when a person is named near it ("jalan tertimbun
# batu" or "sampah hanyut" is not).
PERSON = (r"(?:orang|anak|warga|korban|bocah|bapak|ibu|nenek|kakek|mbah|adik|balita|bayi|nelayan"
          r"|pemancing|pendaki|keluarga|penghuni|suami|istri|tetangga|saya|kami|wisatawan|pekerja"
          r"|penambang|santri|siswa|pengendara|sopir|penumpang)")
# A child (Osing "lare" and Javanese "bocah" are already "anak" after normalisation).
CHILD = r"(?:anak|adik|gadis|siswi|keponakan|cucu|balita)"
# Sent, lent or handed over to someone: the euphemisms of child trafficking.
HANDED_OVER = (r"(?:dipinjamkan|dipinjam|dititipkan|dikirim|disuruh|dijual|disewakan|diserahkan"
               r"|dipekerjakan)")
# …to the night, to a man or to a place where children are exploited.
EXPLOITER = (r"(?:malam|om om|om|bos|juragan|hotel|karaoke|kafe|cafe|tempat hiburan|orang kaya"
             r"|lelaki|laki laki|pria|tamu|majikan|panti pijat|spa)")
# A word between the two halves of a phrase that is not a negator: "ambruk, tidak ada orang di
# dalam" and "anak saya tidak dicabuli" say the danger is not there (the guards in
# classifier.rules only look before a phrase). Osing "sing ana" (there is no) normalises to
# "yang ada", so that pair is a negator here too.
AFFIRMED = r"(?:\s(?!tidak\b|bukan\b|belum\b|tanpa\b|tak\b|yang ada\b)\w+)"
# Issue 12's follow-up dangers. A child by any word (Osing "lare", Javanese "bocah" are "anak").
CHILD_ANY = r"(?:anak|adik|gadis|siswi|siswa|murid|santri|keponakan|cucu|balita|bayi|bocah)"
ABUSED = (r"(?:dicabuli|dicabul|diperkosa|dirudapaksa|disetubuhi|digagahi|dilecehkan|dinodai|digerayangi"
          r"|diraba raba|dipaksa berhubungan|korban pencabulan|korban pelecehan)")
ABUSING = r"(?:mencabuli|memperkosa|merudapaksa|menyetubuhi|menggagahi|melecehkan|pencabulan|pemerkosaan)"
# Osing "uwong" (a person) is not in the slang table: spelled out here.
PEOPLE = (r"(?:warga|orang|uwong|siswa|murid|santri|tamu|pekerja|karyawan|anak|penduduk|jamaah|penghuni"
          r"|tetangga|keluarga|pelajar|pengunjung)")
MANY = r"(?:puluhan|belasan|ratusan|banyak|numx|sekeluarga|satu keluarga|sekampung|semua)"
COLLAPSED = r"(?:ambruk|roboh|runtuh|rubuh|ambrol|rontok)"
# Inside, in Indonesian, Javanese ("nang njero") and Osing ("ring njero").
INSIDE = (r"(?:di dalam|didalam|dalamnya|di dalamnya|njero|terjebak|terperangkap|tertimpa|tertimbun"
          r"|terkubur|terjepit)")
DENGUE = r"(?:dbd|db|demam berdarah|dengue)"
DIED = r"(?:meninggal|mati|tewas|wafat|ninggal|tilar donya|korban jiwa)"
TRAPPED = r"(?:terjebak|terperangkap|terseret|hanyut|tenggelam|tertimbun|tertimpa|terkubur|terjepit)"
RULES: tuple[Rule, ...] = (
    _r("kejang", r"\bkejang\b"),
    _r("tidak_sadar", r"\b(?:tidak sadar(?:kan diri)?|pingsan|tidak bernapas|tidak bernafas"
                      r"|tidak napas|tidak nafas|henti napas)\b"),
    _r("pendarahan", r"\b(?:pendarahan|perdarahan|muntah darah|berdarah banyak|darah banyak"
                     r"|banyak darah|darah terus|berdarah darah)\b"),
    _r("meningitis", r"\b(?:meningitis|radang selaput otak)\b"),
    _r("bayi_panas_tinggi", r"\bbayi\b(?:\s\w+){0,6}\s(?:panas|demam) (?:tinggi|sangat)"),
    _r("banjir_masuk_rumah", r"\b(?:banjir|air)\b(?:\s\w+){0,3}\s(?:masuk|merendam)(?:\s\w+){0,2}"
                             r"\s(?:rumah|kamar)|\b(?:banjir|air)\b(?:\s\w+){0,4}\s(?:sepinggang|sedada"
                             r"|seleher|setinggi (?:pinggang|dada|leher|atap|orang dewasa))\b"),
    _r("kebakaran", r"\b(?:kebakaran|terbakar|api membesar|dilalap api)\b"),
    _r("terjebak", rf"\b{PERSON}\b(?:\s\w+){{0,4}}\s{TRAPPED}\b|\b{TRAPPED}(?:\s\w+){{0,3}}\s{PERSON}\b"
                   r"|\bterseret arus\b"),
    _r("anak_hilang", r"\b(?:anak|bayi|balita|adik)\b(?:\s\w+){0,4}\s(?:hilang|diculik)\b"),
    _r("bunuh_diri", r"\b(?:bunuh diri|gantung diri|mengakhiri hidup|ingin mati|mau mati"
                     r"|minum racun|ngendat|gantung awak)\b", intent=True),
    # Suicide said quietly: tired of living, wanting to be gone, not strong enough to live
    # (Javanese "ora kuat urip", "wis gak kuat maneh"; Osing "sing kuat urip", where "sing"
    # is the negator but normalises to "yang").
    _r("ingin_mati_halus", r"\b(?:capek|capai|lelah|kesel|bosan) (?:\w+ )?hidup\b"
                           r"|\b(?:ingin|mau) (?:\w+ )?(?:hilang|menghilang) (?:saja|selamanya|dari dunia)"
                           r"|\bpergi (?:untuk )?selamanya\b"
                           r"|\b(?:tidak|sudah yang) kuat (?:lagi )?(?:hidup|menjalani hidup)\b"
                           r"|\bsudah (?:tidak|yang) kuat lagi(?= ?$| (?:tanyax|emojisedih|ingin|mau"
                           r"|rasanya|ya allah|gusti|tuhan|pamit))"
                           r"|\b(?:tidak|yang) (?:ingin|mau) hidup lagi\b"
                           r"|\btidak ada gunanya (?:saya )?hidup\b|\b(?:lebih baik|mending) (?:saya )?mati\b"
                           r"|\b(?:menyakiti|melukai|menyayat|menyilet|nyilet|menggores) (?:diri|awak"
                           r"|tangan|nadi|pergelangan)", intent=True),
    # A mother (often just after giving birth) thinking of harming her baby or herself.
    _r("ingin_menyakiti_bayi", r"\b(?:kepikiran|terpikir|pikiran|ingin|mau|takut|tega|sempat)"
                               r"(?: \w+){0,2} (?:menyakiti|melukai|membuang|membunuh|mencekik"
                               r"|membekap|menenggelamkan|mencelakai)(?: \w+)? (?:bayi|anak)\w*",
       intent=True),
    _r("eksploitasi_anak", rf"\b{CHILD}\b(?:\s\w+){{0,5}}\s(?:dijual|dijajakan|dilacurkan"
                           r"|diperdagangkan|dieksploitasi)\b"
                           rf"|\b{CHILD}\b(?:\s\w+){{0,6}}\s{HANDED_OVER}\b(?:\s\w+){{0,8}}\s{EXPLOITER}\b",
       intent=True),
    _r("odgj_bersenjata", r"\b(?:odgj|orang gila|orang edan|gangguan jiwa|sakit jiwa)\b(?:\s\w+){0,6}"
                          r"\s(?:mengamuk|bawa|membawa|pegang|memegang|mengacungkan|mengancam|mengejar)\b"
                          r"|\bmengamuk\b(?:\s\w+){0,6}\s(?:odgj|orang gila|orang edan|gangguan jiwa)\b"),
    _r("kekerasan_sekarang", r"\b(?:sedang|lagi|masih)\s(?:dipukuli|disiksa|dianiaya|dihajar)\b"
                             r"|\b(?:dibacok|ditusuk|disandera)\b"),
    _r("senjata_tajam", r"\b(?:bawa|membawa|acung|mengacungkan)\w*\s(?:parang|celurit|clurit"
                        r"|sajam|senjata tajam|golok|pisau)\b"),
    _r("listrik_bahaya", r"\b(?:tersengat listrik|kesetrum|kesetrom|percikan api)\b"),
    # Many people poisoned by one meal (a hajatan, a school lunch); one person is kesehatan's
    # ordinary work.
    _r("keracunan_massal", rf"\bkeracunan (?:massal|masal)\b|\b{MANY}\s(?:\w+\s){{0,2}}?{PEOPLE}\b(?:\s\w+){{0,3}}"
                           rf"\s(?:keracunan|keracunen)\b|\bkeracunan\b(?:\s\w+){{0,4}}\s{MANY}\s{PEOPLE}\b"),
    # A building down with people still inside (a collapse alone, or with nobody in it, is not;
    # no negator may come between: "ambruk, tidak ada orang di dalam").
    _r("bangunan_runtuh", rf"\b{COLLAPSED}\b{AFFIRMED}{{0,8}}\s{PEOPLE}\b{AFFIRMED}{{0,2}}"
                          rf"\s{INSIDE}\b"),
    # Dengue (DBD) killing people: an outbreak in progress, not a single patient's fever.
    _r("dbd_meninggal", rf"\b{DENGUE}\b{AFFIRMED}{{0,6}}\s{DIED}\b|\b{DIED}\b(?:\s\w+){{0,5}}\s{DENGUE}\b"),
    # tinggi: serious harm today, not within the hour. After every kritis rule, because the
    # first rule that matches decides.
    _r("odgj_dipasung", r"\bdipasung\b|\b(?:dirantai|dikurung|diikat)\b(?:\s\w+){0,4}"
                        r"\s(?:bertahun|berbulan|kandang|gudang|belakang rumah)", HIGH),
    # Sexual violence against a child (issue 12): serious whenever it was told ("bulan lalu
    # dicabuli pamannya"); tinggi, as the labelling guide and the hard split have it, since
    # the child is safe for the hour once it is told (one being hurt now is kekerasan_sekarang).
    _r("kekerasan_seksual_anak", rf"\b{CHILD_ANY}\b{AFFIRMED}{{0,6}}\s{ABUSED}\b"
                                 rf"|\b{ABUSING}\b(?:\s\w+){{0,4}}\s{CHILD_ANY}\b", HIGH, intent=True),
    _r("pekerja_anak", rf"\b{CHILD}\b(?:\s\w+){{0,5}}\s(?:dipekerjakan|disuruh bekerja|disuruh kerja"
                       r"|jadi buruh|dijadikan buruh)\b", HIGH, intent=True),
    # "smp" normalises to "sampai" (the chat abbreviation), so "masih sampai" is "masih SMP".
    _r("pernikahan_anak", r"\b(?:dinikahkan|dikawinkan|dijodohkan|dinikahi|nikah siri)\b(?:\s\w+){0,6}"
                          r"\s(?:masih (?:sd|smp|sampai|sekolah|kelas|kecil|di bawah umur|anak)|di bawah umur)"
                          rf"|\b(?:masih (?:sd|smp|sampai|kelas|kecil)|di bawah umur|{CHILD})\b(?:\s\w+){{0,6}}"
                          r"\s(?:dinikahkan|dikawinkan|dijodohkan|mau dinikahi)\b", HIGH, intent=True),
)
if any(URGENCY_RANK[a.urgency] > URGENCY_RANK[b.urgency] for a, b in itertools.pairwise(RULES)):
    raise RuntimeError("classifier/danger_phrases.py: every kritis rule must come before the tinggi ones")

