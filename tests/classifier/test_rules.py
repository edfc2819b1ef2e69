"""The urgency safety layer raises on danger phrases (to kritis, a few to tinggi) and never
lowers; the quiet forms of suicide, a mother's thoughts of harm, child exploitation and a
mentally ill person with a weapon fire in Indonesian, Javanese and Osing, their near misses
do not."""

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
    assert (raised == urgency and hit is None) or (hit is not None and raised == hit.urgency)


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


@pytest.mark.parametrize(("text", "rule"), [
    # suicide said quietly
    ("capek hidup, pengen hilang aja rasanya", "ingin_mati_halus"),  # Indonesian slang
    ("saya ingin mengakhiri hidup malam ini", "bunuh_diri"),  # Indonesian, plain
    ("aku wis ora kuat urip, ngapurane kabeh", "ingin_mati_halus"),  # Javanese
    ("wis gak kuat maneh", "ingin_mati_halus"),  # Javanese, nothing else said
    ("isun wis sing kuat urip", "ingin_mati_halus"),  # Osing ("sing" is the negator)
    ("mas kulo mboten pengen urip maneh", "ingin_mati_halus"),  # Javanese krama
    ("kemarin adik bilang ingin mengakhiri hidup", "bunuh_diri"),  # said yesterday: still a risk
    ("kakak saya menyilet tangannya lagi", "ingin_mati_halus"),  # self-harm
    # a mother's thoughts of harming her baby
    ("setelah melahirkan saya kepikiran menyakiti bayi saya", "ingin_menyakiti_bayi"),  # Indonesian
    ("mbakyuku lagek nglairake, kepingin nglarani bayine", "ingin_menyakiti_bayi"),  # Javanese
    ("bojone isun takut nglarani lare anyare", "ingin_menyakiti_bayi"),  # Osing
    # child exploitation in euphemism
    ("anak tetangga umur 14 tiap malam dikirim ke rumah juragan", "eksploitasi_anak"),  # Indonesian
    ("gadis kecil itu dipinjamkan ke om om tiap malam minggu", "eksploitasi_anak"),  # "lent"
    ("anakku disilihaken nang omah juragan saben bengi", "eksploitasi_anak"),  # Osing/Javanese
    ("lare wadon iku dikongkon kerjo bengi nang kafe", "eksploitasi_anak"),  # Osing
    ("keponakan saya dijual ke luar pulau", "eksploitasi_anak"),  # sold
    # a mentally ill person with a weapon
    ("ODGJ ngamuk bawa celurit di pasar", "odgj_bersenjata"),  # Indonesian
    ("wong edan nggowo arit, saiki mengamuk nang sawah", "odgj_bersenjata"),  # Javanese
])
def test_quiet_danger_raises_to_kritis(text, rule):
    urgency, hit = raise_urgency("rendah", text)
    assert urgency == "kritis" and hit.rule == rule


@pytest.mark.parametrize(("text", "rule"), [
    ("ada bapak ODGJ dipasung di kandang sudah bertahun tahun", "odgj_dipasung"),  # Indonesian
    ("sedulurku dirantai nang gudang wis pirang wulan", "odgj_dipasung"),  # Javanese
    ("anak anak masih SD dipekerjakan di pengolahan ikan", "pekerja_anak"),  # child labour
    ("anak saya kelas 2 SMP mau dinikahkan minggu depan", "pernikahan_anak"),  # Indonesian
    ("putuku isih SMP arep dirabekno karo juragan", "pernikahan_anak"),  # Javanese
])
def test_shackles_child_labour_and_child_marriage_raise_to_tinggi_not_kritis(text, rule):
    assert raise_urgency("rendah", text) == ("tinggi", raise_urgency("rendah", text)[1])
    assert raise_urgency("rendah", text)[1].rule == rule
    assert raise_urgency("tinggi", text) == ("tinggi", None)  # already as urgent: no hit reported
    assert raise_urgency("kritis", text) == ("kritis", None)  # never lowers


@pytest.mark.parametrize("text", [
    "capek kerja lembur terus, tapi tetap semangat",  # Indonesian: tired of work, carrying on
    "anak saya capek sekolah sampai sore",  # a tired schoolchild
    "mati lampu dari jam 7 belum nyala",  # a power cut
    "macet parah bikin mati gaya",  # figure of speech
    "sudah tidak kuat lagi sama jalan rusak ini, kapan diaspal?",  # fed up with a road
    "kesel kerjo nang sawah, tapi yo tetep mlaku",  # Javanese: tired of field work
    "isun kesel nyambut gawe sedino, tapi sing popo",  # Osing: tired after a day's work
    "mati lampu maneh nang Kemiren, isun kesel",  # Osing: power cut again
    "pengen ngilang dari grup WA RT, isinya hoaks",  # leaving a chat group
    "syarat dispensasi nikah apa saja? anak saya sudah 19",  # marriage question, an adult
    "anak saya dijemput bapaknya tiap malam dari les",  # picked up at night: nothing handed over
])
def test_near_misses_raise_nothing(text):
    assert raise_urgency("rendah", text) == ("rendah", None)


@pytest.mark.parametrize("text", [
    "kebakaran gudang di Genteng sudah padam, tidak ada korban",  # over
    "warga yang terjebak banjir sudah dievakuasi semua",  # over
    "rumah adik saya terbakar tiga hari lalu, sekarang butuh terpal",  # past, said after the phrase
    "istri saya sempat pingsan sebentar kemarin, mohon visum",  # past, said after the phrase
    "omah tanggaku kobong rong minggu lalu, saiki butuh bantuan",  # Javanese: two weeks ago
])
def test_an_event_that_is_over_raises_nothing(text):
    assert raise_urgency("sedang", text) == ("sedang", None)


@pytest.mark.parametrize("text, rule", [
    ("rumah tetangga terbakar sejak kemarin dan apinya belum padam", "kebakaran"),  # "sejak": going on
    ("anak saya hilang kemarin sore, tolong", "anak_hilang"),  # missing until said found
])
def test_a_danger_going_on_since_the_past_still_raises(text, rule):
    assert raise_urgency("sedang", text)[1].rule == rule


@pytest.mark.parametrize("text", [
    "PROMO KEBAKARAN harga hp anjlok di konter kami",  # a sale
    "pedesnya rujak soto bikin kebakaran mulut",  # spicy food
    "antrean di MPP bikin saya pingsan... bercanda, tapi 4 jam",  # a joke, said so
])
def test_figures_of_speech_raise_nothing(text):
    assert raise_urgency("sedang", text) == ("sedang", None)


def test_an_event_still_going_on_raises_even_after_a_resolution_word():
    urgency, hit = raise_urgency("sedang", "dua warga sudah dievakuasi tapi masih ada orang terjebak di dalam")
    assert urgency == "kritis" and hit.rule == "terjebak"


def test_a_prefix_the_regex_parser_factored_out_stays_in_the_required_strings():
    import re._parser as sre_parse

    from classifier.rules import required_literals
    # sre parses "dijual|dikirim" as "di" then (jual|kirim): the hint is the whole word.
    assert required_literals(sre_parse.parse(r"\b(?:dijual|dikirim)\b")) == {"dijual", "dikirim"}
    assert required_literals(sre_parse.parse(r"\banak (?:dijual|dikirim)")) == {"anak dijual", "anak dikirim"}
