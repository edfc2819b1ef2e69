"""README (Collectors): "A lease row (plus an advisory lock on PostgreSQL) keeps two
collectors from ingesting twice". The lease row is tested in test_poller; this is the
advisory lock, which holds even when the lease row says nobody runs the source."""

from __future__ import annotations

import zlib

import pytest
from sqlalchemy import func, select

from collectors.poller import Poller
from store.db import read_session
from store.tables import Mention as MentionRow
from tests.collectors.test_poller import ListSource


def test_a_source_whose_advisory_lock_another_collector_holds_is_skipped(db, clock):
    if db.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite relies on the lease row alone")
    key = zlib.crc32(b"tanggap:collector:s")  # the key collectors.lease.AdvisoryLock takes
    with db.connect() as other_collector:
        assert other_collector.execute(select(func.pg_try_advisory_lock(key))).scalar()
        summary = Poller([], clock=clock).run_source(ListSource("s", [[1]]))
        assert summary.skipped == "another collector is running it (advisory lock held)"
        with read_session() as s:
            assert s.exec(select(MentionRow)).all() == []
        other_collector.execute(select(func.pg_advisory_unlock(key)))
    assert Poller([], clock=clock).run_source(ListSource("s", [[1]])).inserted == 1
