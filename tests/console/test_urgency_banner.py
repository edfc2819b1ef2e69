"""Detail Kasus: when the over/negation layer lowered a kritis, staff see why and raise it back
to kritis with one click, an audited re-tag kept as feedback (console/urgency_banner.py)."""

from datetime import UTC, datetime

from sqlmodel import select

from classifier.context import Reason
from console.services import cases as case_service
from console.services import lowered_urgency
from store.cases import Actor, CaseTags, load_targets
from store.db import read_session, write_session
from store.intake import open_case
from store.tables import Case, CaseEvent, Mention, TagFeedback
from tests.console.conftest import no_exception, shown
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

PAGE = "console/case.py"
LOWERED = Reason("lower", "over", "sudah dibawa ke rumah sakit").as_dict()
RAISED = Reason("raise", "danger_phrase", "kejang", rule="kejang").as_dict()


def lowered_case(reason: dict = LOWERED, urgency: str = "tinggi") -> Case:
    with write_session() as session:
        mention = Mention(platform="twitter", external_id="low1", text="anak kejang tadi, sudah dibawa ke rumah sakit",
                          created_at=datetime(2026, 11, 29, 1, 0, tzinfo=UTC), author_handle="warga",
                          thread_key="low1", raw={})
        session.add(mention)
        return open_case(session, mention, CaseTags(category="kesehatan", urgency=urgency, urgency_reason=reason,
                                                    category_confidence=0.9,
                                                    urgency_confidence=0.4, model_version="v-test"),
                         load_targets(session), Actor(None, "system:test"))


def test_one_click_raises_a_lowered_case_back_to_kritis_as_feedback(app, make_user):
    staff = make_user("kominfo1", "komunikasi")
    case = lowered_case()
    at = app(staff, PAGE, case=case.id)
    no_exception(at)
    assert shown(at, "menurunkan: kejadian sudah selesai — 'sudah dibawa ke rumah sakit'")
    at.button(key=f"case_raise_back_{case.id}").click().run()
    no_exception(at)
    with read_session() as s:
        saved = s.get(Case, case.id)
        feedback = s.exec(select(TagFeedback)).all()
        events = [e.action for e in s.exec(select(CaseEvent).where(CaseEvent.case_id == case.id))]
    assert (saved.category, saved.urgency, saved.tagged_by) == ("kesehatan", "kritis", "staff")
    assert [(f.case_id, f.category, f.urgency) for f in feedback] == [(case.id, "kesehatan", "kritis")]
    assert events[-1] == "retagged"  # audited like any re-tag
    assert not [b for b in at.button if b.key == f"case_raise_back_{case.id}"]  # a person decided


def test_viewer_sees_why_but_cannot_raise_it_back(app, make_user):
    viewer = make_user("pemantau", "viewer")
    case = lowered_case()
    at = app(viewer, PAGE, case=case.id)
    no_exception(at)
    assert shown(at, "menurunkan: kejadian sudah selesai")
    assert not [b for b in at.button if b.key == f"case_raise_back_{case.id}"]


def test_the_reason_is_shown_in_english_too(app, make_user):
    staff = make_user("kominfo1", "komunikasi")
    case = lowered_case()
    at = app(staff, PAGE, case=case.id)
    at.session_state["lang"] = "en"
    at.run()
    assert shown(at, "Urgency lowered from kritis by the model (lowered: the event is over")


def test_no_offer_for_a_rule_raise_or_a_case_that_is_kritis(db, make_user):
    staff = make_user("kominfo1", "komunikasi")
    raised = lowered_case(RAISED, urgency="kritis")
    assert lowered_urgency.lowered_reason(case_service.case_detail(staff, raised.id)) is None


def test_no_offer_once_someone_has_retagged_the_case(db, make_user):
    staff = make_user("kominfo1", "komunikasi")
    case = lowered_case()
    assert lowered_urgency.may_raise_back(case_service.case_detail(staff, case.id))
    case_service.retag(staff, case.id, None, category=None, urgency="sedang")
    assert lowered_urgency.lowered_reason(case_service.case_detail(staff, case.id)) is None
