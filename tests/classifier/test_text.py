"""Normalisation of social-media Indonesian."""

import pytest

from classifier.text import TextNormalizer, normalize


@pytest.mark.parametrize("raw, expected", [
    ("TOLOOONG pak!!!", "tolong bapak serux"),  # case, repeated letters, one "!" token
    ("@bupatibanyuwangi cek https://t.co/x", "userx cek urlx"),  # handle and URL placeholders
    ("hub 0812-3456-7890 jam 7", "hub telx jam numx"),  # phone number before plain numbers
    ("anak2 sy gk sekolah", "anak anak saya tidak sekolah"),  # reduplication and slang
    ("kulo nyuwun tulung, lare kulo ilang", "saya mohon tolong anak saya hilang"),  # Javanese/Osing
    ("syarat KTP apa?", "syarat ktp apa tanyax"),  # a question mark is a token
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("isun wis sing kuat urip", "saya sudah tidak kuat hidup"),  # Osing: after "wis", a negator
    ("umah ambruk tapi sing ana uwong", "umah ambruk tetapi tidak ada uwong"),  # Osing: "sing ana"
    ("riko sing gelem mangan?", "anda tidak gelem makan tanyax"),  # Osing, with a question mark
    ("wong sing lara ning omah", "orang yang lara ning rumah"),  # Javanese: the one who is ill
    ("sing penting anak slamet!!", "yang penting anak slamet serux"),  # Javanese: what matters
])
def test_sing_reads_as_not_in_osing_and_which_in_javanese(raw, expected):
    assert normalize(raw) == expected


def test_normalizer_step_is_stateless_and_maps_each_text():
    step = TextNormalizer()
    assert step.fit_transform(["A", "b"]) == ["a", "b"]
