"""Antrian Dinas: an agency head sees only their agency's cases, the most overdue first."""

from datetime import UTC, datetime, timedelta

from console.services import cases as case_service
from tests.console.conftest import no_exception

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
PAGE = "console/agency.py"


def ids_shown(at) -> list[int]:
    return [int(i) for i in at.dataframe[0].value["No."]] if at.dataframe else []


def test_agency_head_sees_only_their_agency_overdue_first(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    head = make_user("kadinkes", "kepala_dinas", agency="DINKES")
    later = make_case("posyandu", created_at=T0 + timedelta(hours=2), category="kesehatan", urgency="sedang")
    earlier = make_case("DBD", created_at=T0, category="kesehatan", urgency="sedang")
    supporting = make_case("banjir, warga sakit", created_at=T0 + timedelta(hours=1), category="bencana",
                           urgency="sedang")
    other = make_case("jalan rusak", created_at=T0, category="infrastruktur", urgency="sedang")
    for case, agency, support in ((later, "DINKES", []), (earlier, "DINKES", []), (supporting, "BPBD", ["DINKES"]),
                                  (other, "PUBM", [])):
        case_service.assign(staff, case.id, None, agency_code=agency, supporting=support)
    at = app(head, PAGE)
    no_exception(at)
    assert ids_shown(at) == [earlier.id, supporting.id, later.id]
    assert not [s for s in at.selectbox if s.key == "agency_code"]  # no agency choice for a head
    # Asking the service for another agency still gives their own.
    page = case_service.agency_queue(head, "PUBM")
    assert other.id not in [c.id for c in page.rows]


def test_communications_team_picks_an_agency(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("jalan rusak", created_at=T0, category="infrastruktur", urgency="sedang")
    case_service.assign(staff, case.id, None, agency_code="PUBM")
    at = app(staff, PAGE)
    assert ids_shown(at) == []
    at.selectbox(key="agency_code").set_value("PUBM").run()
    assert ids_shown(at) == [case.id]


def test_agency_head_menu_has_no_inbox_or_admin(app, make_user):
    head = make_user("kadinkes", "kepala_dinas", agency="DINKES")
    at = app(head)
    # The menu: st.navigation registered only the pages the role may see.
    from console.services import policy
    assert policy.pages(head) == ("agency", "case", "stats", "export")
    pages = [str(p.get("script_path", "")).rsplit("/", 1)[-1] for p in at._registered_pages.values()]
    # Plus the hidden home step (a function, no file) that opens the role's first page.
    assert sorted(pages) == ["", "agency.py", "case.py", "export.py", "stats.py"]
