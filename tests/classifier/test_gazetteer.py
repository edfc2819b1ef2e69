"""Kecamatan and desa from how people write them."""

import pytest

from classifier.gazetteer import find_place


@pytest.mark.parametrize("text, kecamatan, desa", [
    ("banjir di tegal dlimo", "35.10.04", None),  # space inside the name
    ("jalan rusak di rogo jampi", "35.10.13", None),  # space inside the name
    ("kec. genteng puskesmasnya tutup", "35.10.09", None),  # abbreviated prefix
    ("macet parah bwi kota", "35.10.16", None),  # city shorthand
    ("kota banyuwangi banjir", "35.10.16", None),  # city shorthand, other order
    ("warga Kemiren Glagah", "35.10.15", "Kemiren"),  # desa gives its kecamatan
    ("di wongsoredjo", "35.10.18", None),  # old spelling dj
    ("Tegaldelimo", "35.10.04", None),  # one extra letter
    ("ds karangrejo kec blimbingsari", "35.10.25", "Karangrejo"),  # desa name in two kecamatan
    ("puskesmas kalibaru wetan", "35.10.11", "Kalibaru Wetan"),  # two-word desa
])
def test_place_variants(text, kecamatan, desa):
    place = find_place(text)
    assert (place.kecamatan_code, place.desa) == (kecamatan, desa)


@pytest.mark.parametrize("text", [
    "genteng rumah saya bocor",  # genteng = roof tile
    "jalan licin habis hujan",  # licin = slippery
    "@bupatibanyuwangi #banyuwangi mantap",  # the regency, not the kecamatan
    "sepanjang jalan lampunya mati",  # sepanjang = along
])
def test_common_words_are_not_places(text):
    assert find_place(text).kecamatan_code is None


LICIN, TEGALSARI = "35.10.24", "35.10.23"


@pytest.mark.parametrize("text, kecamatan", [
    ("jalan desa tamansari kec licin longsor", LICIN),                  # the kecamatan named
    ("ds tamansari tegalsari banjir", TEGALSARI),                        # the other kecamatan named
    ("sampah menumpuk di tamansari dekat banjar", LICIN),                # a neighbouring desa of Licin
    ("warga tamansari, sebelah desa Tegalsari", TEGALSARI),              # a desa of Tegalsari
    ("ds tamansari jalan ke kawah ijen rusak parah", LICIN),             # a landmark
])
def test_a_desa_of_two_kecamatan_is_decided_by_other_words(text, kecamatan):
    place = find_place(text)
    assert (place.kecamatan_code, place.desa, place.candidates) == (kecamatan, "Tamansari", ())


def test_an_undecided_desa_is_offered_as_candidates():
    place = find_place("lampu jalan di desa tamansari mati semua")
    assert (place.kecamatan_code, place.desa) == (None, None)
    assert sorted(place.candidates) == [("Tamansari", TEGALSARI), ("Tamansari", LICIN)]


@pytest.mark.parametrize("text, kecamatan", [
    ("jalan di Licin longsor", LICIN),              # "di Licin": a place
    ("kec. Licin jalannya rusak", LICIN),           # "kec. Licin"
    ("banjir di Glagah", "35.10.15"),               # "di Glagah"
    ("jalan licin habis hujan", None),              # slippery road
    ("rumput glagah di pinggir sungai", None),      # the grass
])
def test_a_bare_kecamatan_name_counts_only_as_a_place(text, kecamatan):
    assert find_place(text).kecamatan_code == kecamatan
