"""The over/denied/figurative layer: lowers only a kritis the model alone reached through
its threshold, never a rule hit, never below tinggi for a child or suicide, never while the
danger goes on; every decision carries a reason in words, kept in the case's opened event."""

from __future__ import annotations

import pytest

from classifier.context import Reason, lower_if_over, raised_reason
from classifier.model import Tagger, load_model
from classifier.rules import RuleHit, raise_urgency
from classifier.text import normalize
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # the opened-event test stores mentions dated now

# The model's probabilities when it reached kritis only through its low threshold
# (top choice sedang) and when kritis was its top choice.
THRESHOLD_ONLY = {"kritis": 0.2, "tinggi": 0.15, "sedang": 0.5, "rendah": 0.15}
TOP_CHOICE = {"kritis": 0.6, "tinggi": 0.2, "sedang": 0.1, "rendah": 0.1}


def _lower(text: str, probabilities=THRESHOLD_ONLY, category: str = "bencana", hit=None):
    return lower_if_over("kritis", hit, normalize(text), category, probabilities)


@pytest.mark.parametrize(("text", "cause", "phrase"), [
    ("api di gudang kayu sudah padam jam 2 tadi", "over", "sudah padam"),
    ("bapaknya sudah dibawa ke rumah sakit sama warga", "over", "sudah dibawa ke rumah sakit"),
    ("wingi banjir, saiki wis surut", "over", "sudah surut"),  # Javanese
    ("gak ada korban kok, cuma pagar roboh", "denied", "tidak ada korban"),
    ("bukan darurat min, cuma tanya jam buka posko", "denied", "bukan darurat"),
    ("darurat sinyal di desa kami, kapan ada tower", "figurative", "darurat sinyal"),
    ("alhamdulillah banjir order kue lebaran", "figurative", "banjir order"),
    ("perang harga ojol makin parah", "figurative", "perang harga"),
    ("mati lampu dari jam 7 di kalibaru", "figurative", "mati lampu"),
])
def test_a_threshold_kritis_that_is_over_denied_or_figurative_goes_to_the_models_next_choice(
        text, cause, phrase):
    urgency, reason = _lower(text)
    assert urgency == "sedang"  # THRESHOLD_ONLY's most probable urgency below kritis
    assert (reason.action, reason.cause, reason.phrase, reason.floor) == ("lower", cause, phrase, False)


def test_the_reason_reads_as_words_in_both_languages():
    _, reason = _lower("pasiennya sudah dibawa ke rumah sakit, terima kasih")
    assert reason.words("id") == "menurunkan: kejadian sudah selesai — 'sudah dibawa ke rumah sakit'"
    assert reason.words("en") == "lowered: the event is over — 'sudah dibawa ke rumah sakit'"
    stored = reason.as_dict()
    assert stored["id"] == reason.words("id") and stored["en"] == reason.words("en")
    assert stored["cause"] == "over" and stored["rule"] is None


@pytest.mark.parametrize(("text", "category"), [
    ("anak yang hilang tadi sudah ketemu di rumah temannya", "lainnya"),  # a child named
    ("alhamdulillah sudah aman, terima kasih", "perlindungan_anak"),  # the child category
    ("teman saya yang bilang mau bunuh diri sudah ditangani psikolog", "kesehatan"),  # suicide
    ("wis aman, dheweke ora kuat urip wingi", "kesehatan"),  # Javanese quiet suicide words
])
def test_never_below_tinggi_when_a_child_or_suicide_is_involved(text, category):
    urgency, reason = _lower(text, category=category)
    assert urgency == "tinggi" and reason.floor
    assert reason.words("id").endswith("(anak atau bunuh diri: paling rendah tinggi)")


def test_the_floor_is_not_mentioned_when_the_models_choice_is_already_tinggi():
    urgency, reason = _lower("anak yang hilang sudah ketemu",
                             {"kritis": 0.2, "tinggi": 0.5, "sedang": 0.2, "rendah": 0.1})
    assert urgency == "tinggi" and not reason.floor


@pytest.mark.parametrize("text", [
    "api sudah padam di rumah depan tapi masih ada yang terjebak",  # still going on
    "ambulans sudah datang tapi pasien ditolak rumah sakit",  # refused: not over
    "dua orang sudah dievakuasi, satu belum ditemukan",  # not found yet
])
def test_nothing_is_lowered_while_the_danger_goes_on(text):
    assert _lower(text) == ("kritis", None)


def test_a_rule_hit_is_never_lowered():
    hit = RuleHit("kebakaran", "kebakaran")
    assert _lower("kebakaran, tapi bukan darurat katanya", hit=hit) == ("kritis", None)


def test_the_models_top_choice_kritis_is_not_lowered():
    assert _lower("mati lampu, ibu saya pakai oksigen di rumah", TOP_CHOICE) == ("kritis", None)


@pytest.mark.parametrize("urgency", ["tinggi", "sedang", "rendah"])
def test_only_kritis_is_ever_lowered(urgency):
    assert lower_if_over(urgency, None, normalize("darurat sinyal, sudah padam"), "lainnya",
                         THRESHOLD_ONLY) == (urgency, None)


def test_a_message_with_no_cue_stays_kritis():
    assert _lower("tolong banjir di desa kami") == ("kritis", None)


@pytest.fixture
def eager_tagger(trained):
    """The session's small model with a kritis threshold of 0: every message is kritis
    through the threshold unless kritis is already the model's top choice."""
    model = load_model(trained)
    pipelines = {h: head.pipeline for h, head in model.heads.items()}
    return Tagger("eager", pipelines, {"kritis_threshold": 0.0, "review_below": 0.5})


def test_tagger_lowers_a_resolved_event_and_says_why(eager_tagger):
    text = "terima kasih damkar, api di gudang sudah padam, tidak ada korban"
    [tag] = eager_tagger.tag([text])
    assert tag.model_urgency == "kritis" and tag.raised_by is None
    assert tag.urgency != "kritis" and tag.needs_review
    assert tag.urgency_reason["action"] == "lower" and tag.urgency_reason["cause"] == "over"
    assert tag.urgency_reason["id"] == "menurunkan: kejadian sudah selesai — 'sudah padam'"
    [plain] = eager_tagger.tag([text], apply_rules=False)
    assert plain.urgency == "kritis" and plain.urgency_reason is None


def test_a_rule_raise_reads_as_words():
    _, hit = raise_urgency("rendah", "isun wis sing kuat urip")
    assert raised_reason(hit).words("id") == ("menaikkan: frasa bahaya (ingin_mati_halus) — "
                                              "'tidak kuat hidup'")
    assert raised_reason(hit).words("en").startswith("raised: danger phrase (ingin_mati_halus)")


def test_tagger_says_which_danger_rule_raised(trained):
    model = load_model(trained)
    shy = Tagger("shy", {h: head.pipeline for h, head in model.heads.items()},
                 {"kritis_threshold": 1.0, "review_below": 0.5})  # kritis only as top choice
    tags = shy.tag(["anak saya kelas 2 SMP mau dinikahkan minggu depan",
                    "ada bapak ODGJ dipasung di kandang sudah bertahun tahun",
                    "terima kasih, jalan sudah bagus. oh ya saya capek hidup"])
    raised = [t for t in tags if t.urgency != t.model_urgency]
    assert raised  # the small model does not call all three kritis by itself
    for tag in raised:
        assert tag.urgency_reason["action"] == "raise" and tag.urgency_reason["rule"] == tag.raised_by
        assert tag.urgency_reason["id"].startswith(f"menaikkan: frasa bahaya ({tag.raised_by}) — '")
    for tag in tags:
        assert (tag.urgency_reason is None) == (tag.urgency == tag.model_urgency)


def test_the_reason_is_kept_in_the_cases_opened_event(db):
    from store.cases import Actor, CaseTags, load_targets
    from store.db import read_session, write_session
    from store.intake import open_case
    from store.queries import case_timeline
    from store.tables import Mention
    from store.types import utcnow

    reason = Reason("lower", "over", "sudah padam").as_dict()
    with write_session() as session:
        mention = Mention(platform="twitter", external_id="r1", text="api sudah padam",
                          created_at=utcnow(), thread_key="t-r1", raw={})
        session.add(mention)
        session.flush()
        case = open_case(session, mention, CaseTags(category="bencana", urgency="sedang",
                                                    urgency_reason=reason),
                         load_targets(session), Actor(None, "system:test"))
        plain = Mention(platform="twitter", external_id="r2", text="jalan rusak",
                        created_at=utcnow(), thread_key="t-r2", raw={})
        session.add(plain)
        session.flush()
        other = open_case(session, plain, CaseTags(category="infrastruktur", urgency="sedang"),
                          load_targets(session), Actor(None, "system:test"))
        case_id, other_id = case.id, other.id
    with read_session() as session:
        [opened] = [e for e in case_timeline(session, case_id) if e.action == "opened"]
        [plain_opened] = [e for e in case_timeline(session, other_id) if e.action == "opened"]
    assert opened.new_value["urgency_reason"] == reason
    assert opened.new_value["urgency_reason"]["id"] == "menurunkan: kejadian sudah selesai — 'sudah padam'"
    assert "urgency_reason" not in plain_opened.new_value
