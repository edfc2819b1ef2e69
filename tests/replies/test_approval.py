"""Approval (TANGGAP_REPLY_APPROVAL): who may reply, whose reply waits, who approves or sends
back, and that each step is on the case's timeline."""

from __future__ import annotations

import pytest
from sqlmodel import select

from console.services import cases as case_service
from console.services import replies
from console.services.errors import NotFound, PermissionDenied, ServiceError
from store.db import read_session
from store.settings import get_settings
from store.tables import CaseEvent
from tests.replies.conftest import AT_DRAFT_TIME, send

pytestmark = AT_DRAFT_TIME


@pytest.fixture
def dinkes_case(citizen_case, make_user):
    """A DINKES case, the comms officer ani and the DINKES head kadinkes."""
    ani = make_user("ani", "komunikasi")
    head = make_user("kadinkes", "kepala_dinas", agency="DINKES")
    case = citizen_case(text="puskesmas tutup", category="kesehatan")
    case_service.assign(ani, case.id, None, agency_code="DINKES")
    return case, ani, head


def _timeline(case_id: int) -> list[tuple[str, str]]:
    with read_session() as session:
        events = session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)).all()
    return [(e.action, e.actor_label) for e in events if e.action.startswith("reply_")]


def test_an_agency_heads_reply_waits_for_the_comms_team_and_is_sent_once_approved(platforms, dinkes_case):
    x, _ = platforms
    case, ani, head = dinkes_case
    view = replies.draft(head, case.id, "Puskesmas buka lagi besok pukul 07.00.")
    assert view.state == "draft"
    assert send().sent == 0 and x.posted == []  # a draft is never sent
    with pytest.raises(PermissionDenied):
        replies.approve(head, view.id)  # an agency does not approve its own voice
    assert replies.approve(ani, view.id).state == "approved"
    assert send().sent == 1 and len(x.posted) == 1
    assert _timeline(case.id) == [("reply_drafted", "kadinkes"), ("reply_approved", "ani"),
                                  ("reply_sent", "system:replies")]


def test_a_reply_sent_back_carries_the_comment_and_is_never_sent(platforms, dinkes_case):
    x, _ = platforms
    case, ani, head = dinkes_case
    view = replies.draft(head, case.id, "Sudah ditangani.")
    with pytest.raises(ServiceError) as refused:
        replies.send_back(ani, view.id, "  ")
    assert refused.value.code == "reply_comment_empty"
    back = replies.send_back(ani, view.id, "Sebutkan jam buka puskesmas.")
    assert (back.state, back.review_comment) == ("returned", "Sebutkan jam buka puskesmas.")
    with pytest.raises(ServiceError) as again:
        replies.approve(ani, view.id)
    assert again.value.code == "reply_not_draft"
    assert send().sent == 0 and x.posted == []
    assert _timeline(case.id)[-1] == ("reply_sent_back", "ani")


@pytest.mark.parametrize(("mode", "head_waits", "comms_waits"), [
    ("none", False, False),  # everyone's reply goes straight to the queue
    ("agency", True, False),  # the default
    ("all", True, True),  # every reply waits for a second person
])
def test_approval_setting_decides_whose_reply_waits(platforms, dinkes_case, monkeypatch, mode, head_waits,
                                                    comms_waits):
    monkeypatch.setenv("TANGGAP_REPLY_APPROVAL", mode)
    get_settings.cache_clear()
    case, ani, head = dinkes_case
    assert (replies.draft(head, case.id, "Balasan dinas.").state == "draft") is head_waits
    assert (replies.draft(ani, case.id, "Balasan tim komunikasi.").state == "draft") is comms_waits


def test_with_approval_all_nobody_approves_their_own_reply(platforms, dinkes_case, make_user, monkeypatch):
    monkeypatch.setenv("TANGGAP_REPLY_APPROVAL", "all")
    get_settings.cache_clear()
    case, ani, _ = dinkes_case
    view = replies.draft(ani, case.id, "Laporan diterima.")
    with pytest.raises(ServiceError) as own:
        replies.approve(ani, view.id)
    assert own.value.code == "reply_own"
    assert replies.approve(make_user("budi", "komunikasi"), view.id).state == "approved"


def test_who_may_reply(platforms, citizen_case, make_user):
    other = citizen_case(text="jalan rusak", category="infrastruktur")
    case_service.assign(make_user("ani"), other.id, None, agency_code="PUBM")
    with pytest.raises(NotFound):  # another agency's case does not exist for this head
        replies.draft(make_user("kadinkes", "kepala_dinas", agency="DINKES"), other.id, "Halo")
    with pytest.raises(PermissionDenied):
        replies.draft(make_user("pemantau", "viewer"), other.id, "Halo")
