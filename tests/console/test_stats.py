"""Statistik against figures worked out by hand from five cases.

Handling target 240 minutes, acknowledgement target 60. Opened five days ago at 08:00 WIB;
each answer is a phone call (kind handling by its channel), so it stops both clocks:
  A  DINKES   answered after  30 min → handling met, acknowledgement met
  B  DINKES   answered after 300 min → handling missed, acknowledgement missed
  C  PUBM     answered after  60 min → handling met, acknowledgement met (exactly on target)
  D  (none)   never answered, long past due → breached (open)
  E  closed as not actionable → left out of every figure
Within target: met / (met + missed + breached) = 2 / 4 = 50.0 %.
First-response minutes [30, 60, 300]: median (nearest rank 2 of 3) = 60, p90 (rank 3) = 300.
Breaches: 1 missed + 1 breached = 2. League: PUBM 100.0 % above DINKES 50.0 %.
Acknowledgement: met A, C; missed B; D breached → 2 / 4 = 50.0 %; minutes the same as above.
"""

from datetime import datetime, time, timedelta

from console.services import cases as case_service
from console.services import stats as stats_service
from store.settings import get_settings
from store.types import utcnow
from tests.console.conftest import no_exception
from tests.frozen import AT_NOON_WIB, BEFORE_MIDNIGHT_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


def build(make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    zone = get_settings().zone
    day = utcnow().astimezone(zone).date() - timedelta(days=5)
    t0 = datetime.combine(day, time(8, 0), zone)
    cases = {}
    for name, category, urgency in (("A", "kesehatan", "sedang"), ("B", "kesehatan", "sedang"),
                                    ("C", "infrastruktur", "sedang"), ("D", "lainnya", "rendah"),
                                    ("E", "lainnya", "rendah")):
        cases[name] = make_case(f"kasus {name}", created_at=t0, category=category, urgency=urgency)
    for name, agency, minutes in (("A", "DINKES", 30), ("B", "DINKES", 300), ("C", "PUBM", 60)):
        case_service.assign(staff, cases[name].id, None, agency_code=agency)
        case_service.respond(staff, cases[name].id, None, text="ditangani", channel="phone",
                             happened_at=t0 + timedelta(minutes=minutes))
    case_service.close_no_action(staff, cases["E"].id, None)
    return staff, t0


def test_statistics_page_shows_the_hand_computed_figures(app, make_user, make_case):
    staff, _ = build(make_user, make_case)
    at = app(staff, "console/stats.py")
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Ditangani tepat waktu": "50.0%", "Median penanganan": "60 menit",
                       "P90 penanganan": "300 menit", "Pelanggaran SLA": "2", "Kasus": "4",
                       "Diakui tepat waktu": "50.0%", "Median pengakuan": "60 menit", "P90 pengakuan": "300 menit"}
    league = at.dataframe[0].value
    assert list(league["Kelompok"]) == ["PUBM", "DINKES", "—"]
    assert list(league["% tepat waktu"])[:2] == [100.0, 50.0]
    assert list(league["Pelanggaran"]) == [0, 1, 1]
    by_category = at.dataframe[1].value
    assert dict(zip(by_category["Kelompok"], by_category["Kasus"], strict=True)) == {
        "Infrastruktur": 1, "Kesehatan": 2, "Lainnya": 1}
    assert len(at.get("vega_lite_chart")) == 2  # weekly trend and heat map


def test_date_range_is_read_in_wib(app, make_user, make_case):
    staff, t0 = build(make_user, make_case)
    at = app(staff, "console/stats.py")
    at.date_input(key="stats_from").set_value(t0.date() + timedelta(days=1)).run()
    assert {m.label: m.value for m in at.metric}["Kasus"] == "0"


def test_agency_head_statistics_cover_only_their_agency(make_user, make_case):
    build(make_user, make_case)
    head = make_user("kadinkes", "kepala_dinas", agency="DINKES")
    [row] = stats_service.response_stats(head, agency="PUBM")  # asking for another agency changes nothing
    assert (row.cases, row.met, row.missed, row.pct_within_target) == (2, 1, 1, 50.0)


def test_heat_map_counts_by_wib_weekday_and_hour(make_user, make_case):
    staff, t0 = build(make_user, make_case)
    assert stats_service.heatmap(staff) == [(t0.weekday(), 8, 4)]


def test_the_default_range_is_the_last_30_wib_days_and_moves_at_midnight_wib(app, make_user, make_case,
                                                                             time_machine):
    """At 30 Nov 23:59:30 WIB the default range is 1–30 Nov (WIB days); a minute later, on
    1 Dec, it is 2 Nov–1 Dec. Counted in UTC days, the case of 1 Nov 00:05 WIB (31 Oct UTC)
    would fall outside the first range."""
    wib = get_settings().zone
    time_machine.move_to(BEFORE_MIDNIGHT_WIB, tick=False)
    staff = make_user("kominfo1", "komunikasi")
    make_case("sebelum", created_at=datetime(2026, 10, 31, 23, 55, tzinfo=wib))  # the day before the range
    make_case("pertama", created_at=datetime(2026, 11, 1, 0, 5, tzinfo=wib))  # the range's first day
    make_case("terakhir", created_at=BEFORE_MIDNIGHT_WIB - timedelta(minutes=1))  # 23:58:30 WIB
    at = app(staff, "console/stats.py")
    no_exception(at)
    assert {m.label: m.value for m in at.metric}["Kasus"] == "2"
    time_machine.shift(timedelta(minutes=1))  # 1 Dec 00:00:30 WIB
    at = app(staff, "console/stats.py")
    no_exception(at)
    assert {m.label: m.value for m in at.metric}["Kasus"] == "1"
