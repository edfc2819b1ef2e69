"""Benchmarks take ``--db``: a SQLite path or a database URL; anything else is refused by name."""

import argparse

import pytest

from benchmarks.target import database_url, db_argument, is_postgres, pg_conninfo


@pytest.mark.parametrize("value", [
    "var/bench/cases_1m.db",  # a SQLite file path
    "sqlite:///var/bench/cases_1m.db",  # the same as a URL
    "postgresql+psycopg://postgres@127.0.0.1:5432/bench",  # PostgreSQL through psycopg
    "postgresql://postgres@127.0.0.1/bench",  # PostgreSQL, default driver
])
def test_db_argument_accepts_paths_and_urls(value):
    assert db_argument(value) == value


@pytest.mark.parametrize(("value", "reason"), [
    ("mysql://root@localhost/bench", "expected a SQLite file path"),  # a database Tanggap does not run on
    ("postgresql+psycopg://postgres@127.0.0.1:5432", "names no database"),  # no database name
    ("  ", "empty path"),
])
def test_db_argument_refuses_what_it_cannot_use(value, reason):
    with pytest.raises(argparse.ArgumentTypeError, match=reason):
        db_argument(value)


def test_targets_become_urls_and_connection_keywords():
    assert database_url("var/x.db") == "sqlite:///var/x.db"
    assert database_url("sqlite:///var/x.db") == "sqlite:///var/x.db"
    url = "postgresql+psycopg://bench:pw@db.local:5433/cases"
    assert is_postgres(url) and database_url(url) == url
    assert pg_conninfo(url) == {"host": "db.local", "port": 5433, "user": "bench", "password": "pw",
                                "dbname": "cases"}


def test_store_bench_parses_db_from_the_command_line(monkeypatch):
    from benchmarks import store_bench
    seen = {}
    monkeypatch.setattr(store_bench, "exists", lambda target: seen.setdefault("db", target) and False)
    monkeypatch.setattr(store_bench, "build", lambda target, n: (_ for _ in ()).throw(SystemExit(f"build {n}")))
    monkeypatch.setattr("sys.argv", ["store_bench.py", "--db", "postgresql+psycopg://u@h/bench", "--cases", "7"])
    with pytest.raises(SystemExit, match="build 7"):
        store_bench.main()
    assert seen["db"] == "postgresql+psycopg://u@h/bench"
    monkeypatch.setattr("sys.argv", ["store_bench.py", "--db", "mysql://u@h/x"])
    with pytest.raises(SystemExit):  # argparse: exit 2 with the reason
        store_bench.main()
