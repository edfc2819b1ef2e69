"""The urgency safety layer raises to kritis on danger phrases and never lowers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier.rules import raise_urgency
from store.vocabulary import URGENCIES, URGENCY_RANK

PHRASES = ["kejang", "tidak sadar", "pingsan", "pendarahan", "meningitis", "banjir masuk rumah",
           "kebakaran", "terjebak", "anak hilang", "bunuh diri", "tidak kejang", "kalau kebakaran",
           "harga cabe kebakaran", "simulasi kebakaran", "jalan rusak", "terima kasih", "😭", "!!"]


@given(urgency=st.sampled_from(URGENCIES),
       words=st.lists(st.sampled_from(PHRASES) | st.text(max_size=20), max_size=8))
def test_rules_never_lower_urgency(urgency, words):
    raised, hit = raise_urgency(urgency, " ".join(words))
    assert URGENCY_RANK[raised] <= URGENCY_RANK[urgency]
    assert raised == urgency or (raised == "kritis" and hit is not None)


@pytest.mark.parametrize("text", [
    "anak sy kejang2 dari tadi",  # seizure, with reduplication
    "mbah kulo semaput di sawah",  # Javanese for fainted
    "banjir sudah masuk rumah, air sepinggang",  # flood inside the house
    "ada kebakaran di pasar rogojampi sekarang",  # fire in progress
    "anak saya hilang sejak tadi sore",  # missing child
    "teman sy bilang mau bunuh diri malam ini",  # suicide risk
    "2 orang terjebak longsor di songgon",  # people trapped
])
def test_danger_phrase_raises_to_kritis(text):
    assert raise_urgency("sedang", text)[0] == "kritis"


@pytest.mark.parametrize("text", [
    "alhamdulillah anak saya sudah tidak kejang lagi",  # negated
    "harga cabe kebakaran, mahal banget",  # figurative (LABELING rule 7)
    "simulasi kebakaran di SDN 1 Genteng besok pagi",  # a drill
    "kalau banjir masuk rumah kami harus lapor ke mana?",  # hypothetical question
    "banjir setinggi dada di jakarta, semoga cepat surut",  # elsewhere (rule 6)
    "korban kebakaran pasar genteng kemarin butuh los sementara",  # aftermath
])
def test_guarded_phrases_leave_urgency(text):
    assert raise_urgency("rendah", text) == ("rendah", None)
