"""Terms staff can read (classifier/explain.py): words and phrases of the message itself,
never a placeholder or a stopword, and the danger rule named when one raised the urgency."""

from __future__ import annotations

import re

import pytest

from classifier.explain import STOPWORDS, in_message, readable


@pytest.mark.parametrize(("term", "shown"), [
    ("kejang", True),
    ("jalan berlubang", True),
    ("numx", False),            # a number's placeholder
    ("hubungi telx", False),    # a phone number's placeholder inside a phrase
    ("emojisedih", False),      # an emoji token
    ("yang di", False),         # only function words
    ("di genteng", True),       # a function word beside a content word
])
def test_readable_terms(term, shown):
    assert readable(term) is shown


def test_terms_are_found_in_the_message_as_it_wrote_them():
    text = "Tolong pak, anak sy gk sadar dr tadi, kejang2 di Genteng"
    assert in_message(["tidak sadar", "kejang", "anak saya", "genteng", "banjir"], text) == [
        "gk sadar", "kejang2", "anak sy", "Genteng"]  # "banjir" is not in the message: left out


def test_case_page_terms_come_from_the_message(trained):
    from console.services.model import terms_behind_tags
    text = ("Yth admin, sudah 3 hari lampu jalan di depan SDN 2 Genteng mati, hubungi 081234567890 "
            "https://contoh.id 😭")
    terms = terms_behind_tags(text)
    words = set(re.findall(r"\w+", text.lower()))
    shown = [t for head in ("category", "urgency") for t in terms[head]]
    assert shown, terms
    for term in shown:
        assert term.lower() in text.lower() and set(re.findall(r"\w+", term.lower())) <= words
        assert not set(term.lower().split()) <= STOPWORDS
        assert not re.search(r"numx|telx|urlx|userx|emoji", term)


def test_the_danger_rule_is_named_with_the_words_that_raised_it(trained):
    from console.services.model import terms_behind_tags
    # A question about posyandu (rendah for the model) that says a life is at risk in passing.
    text = "Mohon info jadwal posyandu dan pendaftaran PIP bulan depan, terima kasih. Oh iya adik sy bilang capek hidup"
    terms = terms_behind_tags(text)
    assert terms["rule"] == ["ingin_mati_halus: capek hidup"]
    assert "rule" not in terms_behind_tags("Mohon info jadwal posyandu bulan depan")
