"""Schema migrations (Alembic) and first-start reference data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlmodel import SQLModel

import store.tables  # noqa: F401 - registers the tables on SQLModel.metadata
from store.db import get_engine, write_session
from store.maintenance import refresh_statistics
from store.reference import seed_reference_data

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Bring the schema to ``revision`` and add missing reference data (idempotent)."""
    engine = engine or get_engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration copies a table and drops the old one; with foreign keys
            # enforced SQLite refuses to drop a table other rows point at. Enforcement is
            # off for the migration (a pragma outside any transaction) and the result checked.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")
    with write_session(engine) as session:
        seed_reference_data(session)
    refresh_statistics(engine)


def current_revision(engine: Engine | None = None) -> str | None:
    with (engine or get_engine()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine | None = None) -> bool:
    """Whether the database is at a head revision (False for a database never migrated)."""
    script = ScriptDirectory.from_config(alembic_config(None))
    return current_revision(engine) in set(script.get_heads())


def schema_differences(engine: Engine | None = None) -> list:
    """What autogenerate would still change: empty when models and migrations agree."""
    with (engine or get_engine()).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)
