"""Issue 12's follow-up dangers the model alone may miss: each rule fires in Indonesian,
Javanese and Osing phrasing, and its near misses raise nothing (classifier/danger_phrases.py)."""

from __future__ import annotations

import pytest

from classifier.rules import danger_phrase, raise_urgency

FIRES = [  # (rule, urgency it raises to, message)
    ("odgj_dipasung", "tinggi", "Di desa kami ada warga ODGJ dipasung keluarganya di belakang rumah sudah 3 tahun"),
    ("odgj_dipasung", "tinggi", "Tanggaku wong edan dipasung nang mburi omah wis pirang-pirang taun"),  # Javanese
    ("odgj_dipasung", "tinggi", "Ring desa isun ana uwong edan dipasung ring buri umah wis suwe"),  # Osing
    ("bunuh_diri", "kritis", "Saya sudah tidak sanggup lagi, malam ini saya mau gantung diri"),
    ("bunuh_diri", "kritis", "Aku wis ora kuat urip, pengen mati wae"),  # Javanese
    ("bunuh_diri", "kritis", "Isun wis sing kuat urip, kepingin mati bain"),  # Osing
    ("kekerasan_seksual_anak", "tinggi", "Anak tetangga umur 9 tahun dicabuli pamannya sendiri, tolong ditangani"),
    ("kekerasan_seksual_anak", "tinggi", "Bocah wedok umur 8 taun dicabuli tonggone, tulung"),  # Javanese
    ("kekerasan_seksual_anak", "tinggi", "Lare wadon umur 10 taun dicabuli wong tuek, tulung"),  # Osing
    ("kekerasan_seksual_anak", "tinggi", "Bulan lalu guru ngaji mencabuli santri di desa kami"),  # told as past
    ("anak_hilang", "kritis", "Anak saya umur 6 tahun hilang sejak tadi siang di pasar Genteng"),
    ("anak_hilang", "kritis", "Anakku ilang wiwit mau awan nang pasar, durung ketemu"),  # Javanese
    ("anak_hilang", "kritis", "Lare isun ilang ket mau isuk, durung ketemu"),  # Osing
    ("keracunan_massal", "kritis", "Puluhan warga keracunan massal setelah makan nasi kotak hajatan, banyak muntah"),
    ("keracunan_massal", "kritis", "Akeh warga keracunan bar mangan berkat hajatan, podho mutah-mutah"),  # Javanese
    ("keracunan_massal", "kritis", "Akeh uwong keracunan mari mangan ring hajatan, pada muntah"),  # Osing
    ("bangunan_runtuh", "kritis", "Rumah warga ambruk, masih ada dua orang di dalam belum bisa keluar"),
    ("bangunan_runtuh", "kritis", "Omahe ambruk, isih ana wong nang njero"),  # Javanese
    ("bangunan_runtuh", "kritis", "Umahe ambruk, isih ana uwong ring njero"),  # Osing
    ("dbd_meninggal", "kritis", "Di kampung kami sudah tiga orang meninggal kena demam berdarah bulan ini"),
    ("dbd_meninggal", "kritis", "Wis loro wong mati kena DB nang desaku, tulung difogging"),  # Javanese
    ("dbd_meninggal", "kritis", "Wis ana uwong mati kenek demam berdarah ring desa isun"),  # Osing
]

NEAR_MISSES = [
    "Sosialisasi pencegahan kekerasan seksual pada anak di SDN 1 Rogojampi",   # a talk, not a case
    "Anak saya tidak dicabuli, hanya dimarahi gurunya",                        # denied
    "Bocahe ora dicabuli, mung diseneni",                                      # denied (Javanese)
    "Ring sekolahan ana sosialisasi pencegahan pencabulan lare",               # a talk (Osing)
    "Tembok pagar roboh ke jalan, tidak ada orang di dalam",                   # nobody inside
    "Gedung tua di Genteng ambruk, barang barang di dalam rusak semua",        # things, not people
    "Omahku ora ambruk, mung gentenge bocor",                                  # not collapsed (Javanese)
    "Umah isun ambruk tapi sing ana uwong ring njero",                         # nobody inside (Osing)
    "Nyamuk banyak sekali, takut DBD, tolong fogging",                         # fear, no death
    "Kena DBD tapi tidak ada yang meninggal, sudah sembuh semua",              # nobody died
    "Kemarin ada keracunan massal, sekarang semua sudah pulang",               # over
    "Saya keracunan makanan, perut mules",                                     # one person
]


@pytest.mark.parametrize(("rule", "urgency", "text"), FIRES, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(FIRES)])
def test_follow_up_danger_fires_in_three_languages(rule, urgency, text):
    hit = danger_phrase(text)
    assert hit is not None and (hit.rule, hit.urgency) == (rule, urgency), hit
    assert raise_urgency("rendah", text)[0] == urgency


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_raise_nothing(text):
    assert danger_phrase(text) is None
    assert raise_urgency("sedang", text) == ("sedang", None)
