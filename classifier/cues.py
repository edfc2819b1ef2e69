"""Words that say when a danger happens and whether it is real: over ("sudah padam",
"alhamdulillah sudah ketemu"), denied ("tidak ada korban"), a figure of speech ("darurat
sinyal", "banjir order", "mati lampu"), or still going on ("masih hilang", "belum padam").

Patterns run on ``classifier.text.normalize`` output (slang already standard: "gak" →
"tidak", "udah" → "sudah", "wingi" → "kemarin", Osing "wis" → "sudah"). Used by the danger
rules (an event that is over raises nothing) and by the layer that may lower a kritis the
model alone decided (``classifier.context``).
"""

from __future__ import annotations

import re

# The danger is over: found, put out, treated, safe, receded …
OVER = re.compile(
    r"\bsudah (?:\w+ ){0,2}?(?:ditemukan|ketemu|padam|dipadamkan|dibawa ke \w+(?: \w+)?|ditangani"
    r"|tertangani|dirawat|selamat|pulang|sembuh|surut|aman|membaik|siuman|dievakuasi|diamankan"
    r"|ditangkap|diobati|teratasi|beres|normal|berhenti|reda|kondusif|dimakamkan|diperbaiki"
    r"|dibersihkan|stabil|kembali)\b"
    r"|\bsudah tidak (?:kejang|pingsan|berdarah|demam|panas|banjir|hilang|menyala)\b"
    r"|\balhamdulillah\b(?: \w+){0,5} (?:selamat|ditemukan|ketemu|sembuh|aman|padam|surut|siuman"
    r"|membaik)\b")
# The danger is denied.
DENIED = re.compile(
    r"\b(?:tidak|bukan) (?:ada )?(?:korban|darurat|gawat|bahaya|berbahaya|parah|serius)\b"
    r"|\btidak ada (?:yang )?(?:terluka|luka|meninggal|korban jiwa|apa apa)\b"
    r"|\bsemua (?:\w+ )?selamat\b|\baman terkendali\b|\btidak apa apa\b"
    r"|\bbukan (?:hal )?(?:yang )?(?:mendesak|kebakaran|banjir)\b")
# Alarm words used for something that is no danger to anyone.
FIGURATIVE = re.compile(
    r"\bdarurat (?:sinyal|kuota|wifi|jaringan|internet|skincare|dompet|gaji|cinta|jomblo|tugas"
    r"|skripsi|deadline|kopi|micin)\b"
    r"|\bbanjir (?:order|orderan|pesanan|diskon|promo|rezeki|pembeli|job|like|komentar|hujatan"
    r"|air mata|pujian|pelanggan)\b"
    r"|\bperang (?:harga|diskon|tarif|promo|komentar|ongkir)\b|\bmati (?:gaya|lampu|listrik|kutu)\b"
    r"|\bkebakaran jenggot\b|\b(?:bom|tsunami|gempa) (?:promo|diskon|order|harga)\b"
    r"|\bmembunuh waktu\b|\bserangan fajar\b|\bpanas (?:hati|telinga)\b"
    r"|\b(?:sinyal|hp|baterai|wifi|lampu) (?:\w+ )?mati\b")
# …unless the danger still goes on.
ONGOING = re.compile(
    r"\bmasih (?:\w+ ){0,2}?(?:hilang|terjebak|belum|tidak sadar|pingsan|kejang|berdarah|menyala"
    r"|membesar|mengamuk|tertimbun|terseret|naik|di dalam)\b"
    r"|\bbelum (?:\w+ )?(?:ditemukan|ketemu|padam|sadar|siuman|surut|dievakuasi|datang|tertangani"
    r"|ditolong)\b|\b(?:sedang|lagi) (?:terjadi|berlangsung|membesar|menyala)\b|\bditolak\b"
    r"|\b(?:sekarang|kini) (?:\w+ ){0,3}?(?:naik|kambuh|kejang|pingsan|membesar|parah)\b")
