"""Topics inside a category that another agency handles (classifier/topics.py), as people
write them (slang normalised first)."""

from __future__ import annotations

import pytest

from classifier.text import normalize
from classifier.topics import find_topic


@pytest.mark.parametrize("text, topic", [
    ("air PDAM gk ngalir 3 hari", "air_bersih"),  # slang: gk → tidak
    ("pipa bocor di depan SD, air terbuang", "air_bersih"),
    ("Lampu PJU di Jl. Ahmad Yani mati", "lampu_jalan"),
    ("penerangan jalan di tikungan gelap total", "lampu_jalan"),
    ("lampu merah perempatan Genteng rusak", "lalu_lintas"),
    ("macet parah depan pasar tiap pagi", "lalu_lintas"),
    ("ada ODGJ mengamuk di pasar", "kesehatan_jiwa"),
    ("tetangga saya dipasung bertahun-tahun", "kesehatan_jiwa"),
    ("jalan berlubang di Genteng", None),  # the roads office's own
    ("mati lampu sejak sore", None),  # a power cut is not a street light
    ("air mata saya tidak berhenti", None),  # tears are not water supply
])
def test_topics_are_found_in_plain_text(text, topic):
    assert find_topic(normalize(text)) == topic
