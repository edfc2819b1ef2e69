"""Queue order, keyset pagination and statistics against figures worked out by hand."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from store import cases as store_cases
from store.cases import Actor
from store.db import read_session, write_session
from store.queries import CaseFilter, agency_page, export_rows, triage_page
from store.stats import heatmap, percentile, response_stats, response_tables
from store.vocabulary import CASE_STATUSES

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
SYSTEM = Actor(None, "system:test")


def test_triage_order_unassigned_first_then_urgency_then_due(db, make_case):
    a = make_case(created_at=T0, category="infrastruktur", urgency="sedang")
    b = make_case(created_at=T0 + timedelta(minutes=5), category="kesehatan", urgency="kritis")
    c = make_case(created_at=T0 - timedelta(minutes=5), category="infrastruktur", urgency="sedang")
    d = make_case(created_at=T0, category="bencana", urgency="kritis")
    untagged = make_case(created_at=T0 - timedelta(hours=1))
    with write_session() as s:
        store_cases.assign(s, d.id, None, SYSTEM, agency_code="BPBD")
    with read_session() as s:
        page = triage_page(s, CaseFilter())
    assert [r.id for r in page.rows] == [b.id, c.id, a.id, untagged.id, d.id]


def test_keyset_pages_cover_everything_once(db, make_case):
    ids = {make_case(created_at=T0 + timedelta(minutes=i), category="lingkungan", urgency="sedang").id
           for i in range(7)}
    seen, cursor = [], None
    with read_session() as s:
        while True:
            page = triage_page(s, CaseFilter(), after=cursor, size=3)
            seen += [r.id for r in page.rows]
            cursor = page.next_cursor
            if cursor is None:
                break
    assert sorted(seen) == sorted(ids) and len(seen) == 7


def test_filters_and_text_search(db, make_case):
    make_case(text="Lampu PJU mati di Jl. Ahmad Yani", platform="facebook", category="infrastruktur",
              urgency="sedang")
    make_case(text="100% gratis? promo_judi", platform="twitter", category="lainnya", urgency="rendah")
    with read_session() as s:
        assert [r.summary for r in triage_page(s, CaseFilter(text="pju")).rows] == ["Lampu PJU mati di Jl. Ahmad Yani"]
        assert len(triage_page(s, CaseFilter(text="100%")).rows) == 1  # % is literal, not a wildcard
        assert len(triage_page(s, CaseFilter(text="1_0")).rows) == 0  # _ is literal too, not "any one"
        assert len(triage_page(s, CaseFilter(platforms=["facebook"])).rows) == 1
        assert len(triage_page(s, CaseFilter(categories=["lainnya"], urgencies=["rendah"])).rows) == 1


def test_agency_queue_holds_lead_and_supporting_cases_overdue_first(db, make_case):
    late = make_case(created_at=T0 - timedelta(hours=8), category="kesehatan", urgency="tinggi")
    soon = make_case(created_at=T0, category="kesehatan", urgency="tinggi")
    other = make_case(created_at=T0 - timedelta(hours=2), category="bencana", urgency="kritis")
    with write_session() as s:
        store_cases.assign(s, soon.id, None, SYSTEM, agency_code="DINKES")
        store_cases.assign(s, late.id, None, SYSTEM, agency_code="DINKES")
        store_cases.assign(s, other.id, None, SYSTEM, agency_code="BPBD", supporting=["DINKES"])
    with read_session() as s:
        assert [r.id for r in agency_page(s, "DINKES").rows] == [late.id, other.id, soon.id]
        assert [r.id for r in agency_page(s, "BPBD").rows] == [other.id]


def _respond(case, minutes, now):
    with write_session() as s:
        store_cases.log_response(s, case.id, None, SYSTEM, text="ok", channel="phone",
                                 happened_at=case.opened_at + timedelta(minutes=minutes), now=now)


def test_statistics_match_hand_computed_figures(db, make_case):
    now = T0 + timedelta(days=2)
    # Five answered cases with first responses after 30, 60, 120, 240 and 300 minutes (4 h target):
    # met = 4 (240 is exactly on target), missed = 1. One open case past due, one open within target
    # (opened 1 h before "now"), one closed as not actionable (left out).
    answered = [make_case(created_at=T0 + timedelta(hours=i), category="kesehatan", urgency="sedang",
                          platform="twitter") for i in range(5)]
    for case, minutes in zip(answered, [30, 60, 120, 240, 300], strict=True):
        _respond(case, minutes, now)
    make_case(created_at=T0, category="infrastruktur", urgency="sedang", platform="sms")
    make_case(created_at=now - timedelta(hours=1), category="infrastruktur", urgency="sedang", platform="sms")
    spam = make_case(created_at=T0, category="lainnya", urgency="rendah")
    with write_session() as s:
        store_cases.close_no_action(s, spam.id, None, SYSTEM)
    with read_session() as s:
        (overall,) = response_stats(s, now, WIB)
        by_platform = {r.group: r for r in response_stats(s, now, WIB, group_by="platform")}
    assert (overall.cases, overall.handled, overall.met, overall.missed, overall.breached_open) == (7, 5, 4, 1, 1)
    assert overall.breaches == 2
    assert overall.pct_within_target == round(100 * 4 / 6, 1)  # 66.7: met / (met + missed + breached)
    assert overall.median_minutes == 120  # nearest rank: ceil(0.5*5) = 3rd of 30,60,120,240,300
    assert overall.p90_minutes == 300  # ceil(0.9*5) = 5th
    assert by_platform["sms"].cases == 2 and by_platform["sms"].pct_within_target == 0.0
    assert by_platform["twitter"].pct_within_target == 80.0
    # The same phone calls stop the acknowledgement clock too (60 min target): met at 30 and 60
    # (exactly on target), missed at 120, 240, 300; the open case from T0 is past its acknowledgement
    # due time, the one opened an hour ago is due exactly now (not yet breached).
    assert (overall.acknowledged, overall.ack_met, overall.ack_missed, overall.ack_breached_open) == (5, 2, 3, 1)
    assert overall.pct_acknowledged_within_target == round(100 * 2 / 6, 1)  # 33.3
    assert (overall.ack_median_minutes, overall.ack_p90_minutes) == (120, 300)


def test_week_grouping_uses_wib_days(db, make_case):
    # Sunday 2026-11-15 23:30 WIB is 16:30 UTC: it belongs to the week of Monday 2026-11-09.
    make_case(created_at=datetime(2026, 11, 15, 16, 30, tzinfo=UTC), category="kesehatan", urgency="sedang")
    # Monday 2026-11-16 00:30 WIB is still Sunday in UTC, but the WIB week starts on the 16th.
    make_case(created_at=datetime(2026, 11, 15, 17, 30, tzinfo=UTC), category="kesehatan", urgency="sedang")
    with read_session() as s:
        weeks = {r.group: r.cases for r in response_stats(s, T0, WIB, group_by="week")}
        cells = heatmap(s, WIB)
    assert weeks == {"2026-11-09": 1, "2026-11-16": 1}
    assert cells == [(0, 0, 1), (6, 23, 1)]  # Monday 00h and Sunday 23h in WIB


def test_percentile_nearest_rank():
    assert percentile([(10, 1), (20, 1), (30, 1), (40, 1)], 50) == 20
    assert percentile([(10, 9), (99, 1)], 90) == 10
    assert percentile([], 50) is None


def test_export_rows_stream_every_case_with_first_author(db, make_case):
    make_case(author="ani", thread_key="t1", category="kesehatan", urgency="sedang")
    make_case(author="budi", thread_key="t2")
    with read_session() as s:
        rows = list(export_rows(s, CaseFilter(statuses=CASE_STATUSES), batch=1))
    assert [r["author"] for r in rows] == ["ani", "budi"]
    assert rows[0]["category"] == "kesehatan" and rows[1]["category"] is None


def test_tables_read_together_equal_each_grouping_read_alone(db, make_case):
    """response_tables (one pass for the column groupings) must give exactly what
    response_stats gives per grouping: with and without a date range and an agency."""
    now = T0 + timedelta(days=3)
    combos = [("kesehatan", "kritis", "twitter", "DINKES"), ("kesehatan", "sedang", "sms", "DINKES"),
              ("bencana", "kritis", "facebook", "BPBD"), ("infrastruktur", "rendah", "twitter", None),
              ("infrastruktur", "sedang", "facebook", "PUBM")]
    for i in range(40):
        category, urgency, platform, agency = combos[i % len(combos)]
        case = make_case(created_at=T0 + timedelta(hours=i), category=category, urgency=urgency, platform=platform)
        if agency:
            with write_session() as s:
                store_cases.assign(s, case.id, None, SYSTEM, agency_code=agency)
        if i % 3:
            _respond(case, [10, 45, 200, 260, 900][i % 5], now)
    groupings = ("agency", "category", "platform", "urgency", "week", "kecamatan")
    scopes = [{}, {"start": T0 + timedelta(hours=10), "end": T0 + timedelta(hours=30)}, {"agency": "DINKES"}]
    with read_session() as s:
        for scope in scopes:
            tables = response_tables(s, now, WIB, groupings, **scope)
            assert tables[None] == response_stats(s, now, WIB, **scope)
            for g in groupings:
                assert tables[g] == response_stats(s, now, WIB, group_by=g, **scope), (g, scope)
            assert sum(r.cases for r in tables["agency"]) == tables[None][0].cases > 0
