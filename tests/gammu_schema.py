"""A Gammu SMSD database with the real schema's outbox tables, on the test's backend, and a
stand-in for the daemon that moves queued messages to ``sentitems`` as Gammu SMSD does."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

SCHEMA = Path(__file__).parent / "fixtures" / "gammu"


class GammuDb:
    def __init__(self, engine: Engine, url: str):
        self.engine, self.url = engine, url
        self.quote = (lambda name: f'"{name}"') if engine.dialect.name == "postgresql" else (lambda name: name)

    def rows(self, table: str) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY {self.quote('ID')}"))
                    .mappings()]

    def deliver(self, creator_id: str, status: str = "SendingOK", sent_at: str = "2026-11-29 12:05:00") -> None:
        """What Gammu SMSD does once the modem is done with a message: every part goes to
        sentitems with its status, and the outbox rows are deleted."""
        q = self.quote
        with self.engine.begin() as conn:
            first = conn.execute(text(f"SELECT * FROM outbox WHERE {q('CreatorID')} = :c"),
                                 {"c": creator_id}).mappings().one()
            parts = [(1, first["TextDecoded"], first["UDH"] or "", first["Coding"])]
            parts += [(r["SequencePosition"], r["TextDecoded"], r["UDH"] or "", r["Coding"]) for r in conn.execute(
                text(f"SELECT * FROM outbox_multipart WHERE {q('ID')} = :i ORDER BY {q('SequencePosition')}"),
                {"i": first["ID"]}).mappings()]
            for seq, body, udh, coding in parts:
                conn.execute(text(
                    f"INSERT INTO sentitems ({q('ID')}, {q('SequencePosition')}, {q('SendingDateTime')}, "
                    f"{q('Text')}, {q('TextDecoded')}, {q('DestinationNumber')}, {q('UDH')}, {q('Coding')}, "
                    f"{q('SenderID')}, {q('Status')}, {q('CreatorID')}) "
                    "VALUES (:id, :seq, :at, '', :body, :number, :udh, :coding, 'modem1', :status, :creator)"),
                    {"id": first["ID"], "seq": seq, "at": sent_at, "body": body, "number": first["DestinationNumber"],
                     "udh": udh, "coding": coding, "status": status, "creator": creator_id})
            conn.execute(text(f"DELETE FROM outbox_multipart WHERE {q('ID')} = :i"), {"i": first["ID"]})
            conn.execute(text(f"DELETE FROM outbox WHERE {q('ID')} = :i"), {"i": first["ID"]})


@pytest.fixture(scope="session")
def gammu_pg_server() -> Iterator[str]:
    """One PostgreSQL database for Gammu's tables for the whole session (PostgreSQL runs only)."""
    from tests.conftest import PG_URL
    admin_url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"gammu_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def gammu_db(db, tmp_path, request) -> Iterator[GammuDb]:
    """Gammu SMSD's outbox tables on the same kind of database as the test's ``db``."""
    if db.dialect.name == "postgresql":
        url = request.getfixturevalue("gammu_pg_server")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS outbox, outbox_multipart, sentitems"))
            _create(conn, "pgsql.sql")
    else:
        url = f"sqlite:///{tmp_path / 'smsd.db'}"
        engine = create_engine(url)
        with engine.begin() as conn:
            _create(conn, "sqlite.sql")
    yield GammuDb(engine, url)
    engine.dispose()


def _create(conn, schema_file: str) -> None:
    for statement in (SCHEMA / schema_file).read_text().split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)
