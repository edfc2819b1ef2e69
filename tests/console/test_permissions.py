"""Permissions in the service layer, whatever the pages show: an agency head learns
nothing about other agencies' cases, a viewer changes nothing."""

import pytest

from console.services import cases as case_service
from console.services import reference
from console.services.errors import NotFound, PermissionDenied
from store.queries import CaseFilter
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


def test_agency_head_gets_not_found_for_every_action_on_another_agencys_case(two_agencies):
    _, head, theirs, _ = two_agencies
    actions = [
        lambda: case_service.case_detail(head, theirs.id),
        lambda: case_service.assign(head, theirs.id, None, agency_code="DINKES"),
        lambda: case_service.respond(head, theirs.id, None, text="x", channel="phone"),
        lambda: case_service.resolve(head, theirs.id, None),
        lambda: case_service.reopen(head, theirs.id, None),
        lambda: case_service.retag(head, theirs.id, None, category="kesehatan", urgency="sedang"),
    ]
    for action in actions:
        with pytest.raises(NotFound):
            action()


def test_agency_head_lists_never_hold_another_agencys_case(two_agencies):
    _, head, _, mine = two_agencies
    assert [c.id for c in case_service.triage(head, CaseFilter()).rows] == [mine.id]
    assert [c.id for c in case_service.agency_queue(head, "PUBM").rows] == [mine.id]


def test_agency_head_cannot_hand_a_case_to_another_agency_or_close_it_as_noise(two_agencies, make_user):
    _, head, _, mine = two_agencies
    make_user("kapubm", "kepala_dinas", agency="PUBM")
    with pytest.raises(PermissionDenied):
        case_service.assign(head, mine.id, None, agency_code="PUBM")
    with pytest.raises(PermissionDenied):
        case_service.close_no_action(head, mine.id, None)
    with pytest.raises(PermissionDenied):
        case_service.bulk_close(head, [mine.id], "spam")
    # Only the head's own agency: not PUBM's head, not the communications team (kominfo1).
    assert [c.code for c in reference.staff_for(head, "PUBM")] == ["kadinkes"]


def test_viewer_cannot_change_a_case(two_agencies, make_user):
    _, _, theirs, _ = two_agencies
    viewer = make_user("pemantau", "viewer")
    assert case_service.case_detail(viewer, theirs.id).case.id == theirs.id  # reading is fine
    for action in (lambda: case_service.assign(viewer, theirs.id, None, agency_code="PUBM"),
                   lambda: case_service.respond(viewer, theirs.id, None, text="x", channel="phone"),
                   lambda: case_service.resolve(viewer, theirs.id, None),
                   lambda: case_service.retag(viewer, theirs.id, None, category="lainnya", urgency="rendah")):
        with pytest.raises(PermissionDenied):
            action()


def test_conflict_carries_who_changed_the_case(two_agencies, make_user):
    from console.services.errors import Conflict
    staff, _, theirs, _ = two_agencies
    other = make_user("kominfo2", "komunikasi")
    seen = case_service.case_detail(staff, theirs.id).case.version
    case_service.assign(other, theirs.id, seen, agency_code="PUCK")
    with pytest.raises(Conflict) as caught:
        case_service.assign(staff, theirs.id, seen, agency_code="DINSOS")
    assert caught.value.changed_by == "Kominfo2"
