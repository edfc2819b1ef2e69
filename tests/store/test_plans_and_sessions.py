"""Query plans, read-session snapshots and PostgreSQL connection handling.

The plan tests fill a few thousand cases shaped like production (2 % open, leads over the
agencies, 15 % with supporting units), refresh statistics as the app does after a bulk
intake, and read the plan the database chose for the agency queue.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql, sqlite

from store import stats as store_stats
from store.db import get_engine, make_engine, read_session, write_session
from store.maintenance import refresh_statistics
from store.queries import AGENCY_ORDER, CaseFilter, _page_statement, agency_page, triage_page
from store.settings import get_settings
from store.tables import Case, CaseSupport

NOW = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)
LEADS = ["DINKES", "PUBM", "DINSOS", "DLH", "BPBD", "DP3A", "DISPENDIK", "SATPOLPP"]


def _fill(engine, n: int = 3000, seed: int = 3) -> list[dict]:
    """n cases straight into the tables (as a bulk load would), oldest first; returns them."""
    rng = random.Random(seed)
    cases, supports = [], []
    for i in range(1, n + 1):
        opened = NOW - timedelta(minutes=10 * (n - i))
        is_open = i > n * 0.98
        lead = rng.choice(LEADS)
        cases.append(dict(id=i, status="assigned" if is_open else "resolved", lead_agency_code=lead,
                          platform="twitter", summary="jalan rusak", opened_at=opened,
                          due_at=opened + timedelta(hours=4), last_mention_at=opened, updated_at=opened,
                          is_open=is_open, queue_rank=1, urgency_rank=2))
        if rng.random() < 0.15:
            supports += [dict(case_id=i, agency_code=a) for a in rng.sample([x for x in LEADS if x != lead], 2)]
    with engine.begin() as conn:
        conn.execute(insert(Case.__table__), cases)
        conn.execute(insert(CaseSupport.__table__), supports)
    for case in cases:
        case["supporting"] = {s["agency_code"] for s in supports if s["case_id"] == case["id"]}
    return cases


def _plan(engine, stmt) -> str:
    dialect = postgresql.dialect() if engine.dialect.name == "postgresql" else sqlite.dialect()
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN" if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    with engine.connect() as conn:
        return "\n".join(str(row[-1]) for row in conn.exec_driver_sql(f"{explain} {sql}"))


def test_agency_queue_reads_the_agency_index_after_a_bulk_load(db):
    cases = _fill(db)
    refresh_statistics(db)  # what import and demo do after a bulk intake; no manual ANALYZE
    stmt = _page_statement(CaseFilter(agency="DINKES"), AGENCY_ORDER, False, 25, db.dialect.name)
    assert "ix_case_agency_queue" in _plan(db, stmt)
    expected = sorted((c for c in cases if c["is_open"] and ("DINKES" == c["lead_agency_code"]
                                                             or "DINKES" in c["supporting"])),
                      key=lambda c: (c["due_at"], c["id"]))
    with read_session() as s:
        first = agency_page(s, "DINKES", size=5)
        second = agency_page(s, "DINKES", after=first.next_cursor, size=100)
    assert [r.id for r in first.rows + second.rows] == [c["id"] for c in expected]
    assert len(expected) > 5 and any(c["lead_agency_code"] != "DINKES" for c in expected)


def test_agency_cases_of_every_status_include_supported_old_cases(db):
    cases = _fill(db, n=400)
    flt = CaseFilter(agency="PUBM", statuses=("resolved",))
    with read_session() as s:
        page = agency_page(s, "PUBM", flt, size=1000)
    expected = {c["id"] for c in cases if not c["is_open"]
                and ("PUBM" == c["lead_agency_code"] or "PUBM" in c["supporting"])}
    assert {r.id for r in page.rows} == expected


def test_sqlite_statistics_are_refreshed_only_when_stale(db):
    if db.dialect.name != "sqlite":
        pytest.skip("SQLite's statistics rule; PostgreSQL analyses after every bulk load")
    _fill(db, n=600)
    assert "case" in refresh_statistics(db)
    assert refresh_statistics(db) == []  # nothing grew since
    _fill_more = [dict(id=600 + i, status="new", platform="sms", summary="x", opened_at=NOW, due_at=NOW,
                       last_mention_at=NOW, updated_at=NOW) for i in range(1, 700)]
    with db.begin() as conn:
        conn.execute(insert(Case.__table__), _fill_more)
    assert "case" in refresh_statistics(db)  # more than twice the rows analysed


def test_a_read_session_sees_one_snapshot(db, make_case):
    make_case()
    with read_session() as s:
        before = s.execute(text('SELECT count(*) FROM "case"')).scalar()
        make_case()  # committed by another session meanwhile
        assert s.execute(text('SELECT count(*) FROM "case"')).scalar() == before
    with read_session() as s:
        assert s.execute(text('SELECT count(*) FROM "case"')).scalar() == before + 1


def _postgres_only(db):
    if db.dialect.name != "postgresql":
        pytest.skip("PostgreSQL connection handling")


def test_a_connection_ended_by_the_server_is_replaced_on_the_next_read(db, make_case):
    _postgres_only(db)
    case = make_case()
    with read_session() as s:
        pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = make_engine(get_settings().database_url)
    with admin.connect() as conn:  # returns once the backend has gone (PostgreSQL 14+)
        assert conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar()
    admin.dispose()
    with read_session() as s:
        assert [r.id for r in triage_page(s, CaseFilter()).rows] == [case.id]
        assert s.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_prepared_statements_survive_read_sessions(db, make_case):
    _postgres_only(db)
    make_case()
    engine = get_engine()
    engine.dispose()  # one fresh connection, used by every session below in turn
    for _ in range(3):
        with read_session() as s:
            triage_page(s, CaseFilter())
    with read_session() as s:
        prepared = s.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("ORDER BY" in p and "case" in p for p in prepared), prepared


def test_a_read_session_cannot_write_on_postgresql(db):
    _postgres_only(db)
    with pytest.raises(Exception, match="read-only transaction"), read_session() as s:
        s.execute(text("UPDATE agency SET name = name"))


def test_statistics_reads_set_work_mem_for_their_transaction_only(db, monkeypatch):
    _postgres_only(db)
    with read_session() as s:
        server_default = s.execute(text("SHOW work_mem")).scalar()
    monkeypatch.setenv("TANGGAP_STATS_WORK_MEM_MB", "48")
    get_settings.cache_clear()
    with read_session() as s:
        store_stats.response_tables(s, NOW, get_settings().zone, ("agency",))
        assert s.execute(text("SHOW work_mem")).scalar() == "48MB"
    with read_session() as s:  # very likely the same pooled connection
        assert s.execute(text("SHOW work_mem")).scalar() == server_default
        store_stats.heatmap(s, get_settings().zone)
        assert s.execute(text("SHOW work_mem")).scalar() == "48MB"
    with write_session() as s:
        assert s.execute(text("SHOW work_mem")).scalar() == server_default


def test_an_import_refreshes_sqlite_statistics_so_the_agency_queue_uses_its_index(db, tmp_path):
    if db.dialect.name != "sqlite":
        pytest.skip("SQLite plans without statistics; PostgreSQL is analysed the same way (ANALYZE)")
    from collectors.files import import_file
    _fill(db)  # an existing store, never analysed
    with db.connect() as conn:  # the case table was never analysed (small reference tables may be)
        analysed = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() and \
            conn.exec_driver_sql("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'case'").first()
        assert not analysed
    rows = "\n".join(f"imp-{i},2026-11-29T0{i % 10}:00:00+07:00,warga{i},jalan rusak nomor {i}" for i in range(50))
    (tmp_path / "bulk.csv").write_text("external_id,created_at,author,text\n" + rows + "\n", encoding="utf-8")
    assert import_file(tmp_path / "bulk.csv").imported == 50
    stmt = _page_statement(CaseFilter(agency="DINKES"), AGENCY_ORDER, False, 25, "sqlite")
    assert "ix_case_agency_queue" in _plan(db, stmt)


def test_an_import_analyses_the_case_tables_on_postgresql(db, tmp_path):
    _postgres_only(db)
    from collectors.files import import_file
    (tmp_path / "few.csv").write_text("external_id,created_at,author,text\n"
                                      "a1,2026-11-29T08:00:00+07:00,warga,jalan rusak\n", encoding="utf-8")
    with db.connect() as conn:
        before = conn.execute(text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'case'")).scalar()
    assert import_file(tmp_path / "few.csv").imported == 1
    with db.connect() as conn:
        after = conn.execute(text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'case'")).scalar()
    assert after is not None and (before is None or after > before)


def test_each_process_pools_five_connections_and_ten_more_at_a_peak(db):
    _postgres_only(db)
    pool = get_engine().pool
    assert (pool.size(), pool._max_overflow) == (5, 10)


def test_postgresql_expects_the_heat_maps_168_groups(db):
    _postgres_only(db)
    _fill(db)  # three weeks of cases every 10 minutes: every weekday × hour
    refresh_statistics(db)
    stmt = store_stats.heatmap_statement(get_settings().zone, "postgresql")
    compiled = stmt.compile(dialect=db.dialect, compile_kwargs={"render_postcompile": True})
    with db.connect() as conn:  # the statement as Tanggap sends it, bound parameters and all
        plan = [row[0] for row in conn.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params)]
    assert "rows=168 " in plan[0], plan  # not the ~3,000 a guess from opened_at's values would give
    with read_session() as s:
        assert len(store_stats.heatmap(s, get_settings().zone)) == 168
