"""Schema migrations (Alembic) and first-start reference data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import store.tables  # noqa: F401
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
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    with write_session(engine) as session:
        seed_reference_data(session)
    refresh_statistics(engine)


def current_revision(engine: Engine | None = None) -> str | None:
    with (engine or get_engine()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_differences(engine: Engine | None = None) -> list:
    """What autogenerate would still change: empty when models and migrations agree."""
    with (engine or get_engine()).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def make_revision(message: str, engine: Engine | None = None) -> None:
    """Developer helper: autogenerate a new migration from the models."""
    with (engine or get_engine()).begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
