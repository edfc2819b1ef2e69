"""Shared fixtures. Every database test runs on SQLite and, when TANGGAP_TEST_DATABASE_URL
is set (CI sets it), on PostgreSQL too: the `db` fixture is parametrised by backend."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.gammu_schema import gammu_db, gammu_pg_server  # noqa: F401  (fixtures: Gammu SMSD's outbox tables)

PG_URL = os.environ.get("TANGGAP_TEST_DATABASE_URL")
PASSWORD = "Tanggap-uji-2026"  # make_user's default; meets the password policy (store/passwords.py)
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _reset_caches() -> None:
    from store.db import get_engine
    from store.settings import get_settings
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path):
    """No test reads the developer's tanggap.toml, var/ folder or real tokens."""
    for key in list(os.environ):
        if key.startswith("TANGGAP_") and key != "TANGGAP_TEST_DATABASE_URL":
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TANGGAP_MODEL_DIR", str(tmp_path / "models"))
    _reset_caches()
    yield
    _reset_caches()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    from store.db import make_engine
    from store.migrate import upgrade
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """One migrated PostgreSQL database for the session; tests truncate it between them."""
    from store.db import make_engine
    from store.migrate import upgrade
    admin_url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"tanggap_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_pg(url: str) -> None:
    from sqlmodel import SQLModel

    import store.tables  # noqa: F401 - registers the tables on SQLModel.metadata
    from store.db import make_engine, write_session
    from store.reference import seed_reference_data
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    with write_session(engine) as session:
        seed_reference_data(session)
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path, monkeypatch) -> Iterator[Engine]:
    """A migrated database with reference data, set as TANGGAP_DATABASE_URL."""
    if request.param == "sqlite":
        path = tmp_path / "tanggap.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database")
        _truncate_pg(url)
    monkeypatch.setenv("TANGGAP_DATABASE_URL", url)
    _reset_caches()
    from store.db import get_engine
    engine = get_engine()
    yield engine
    engine.dispose()
    _reset_caches()


@pytest.fixture
def make_user(db):
    from store.db import write_session
    from store.users import create_user

    def make(username: str, role: str = "komunikasi", agency: str | None = None,
             password: str = PASSWORD):
        with write_session() as session:
            user = create_user(session, username, username.title(), role, password, agency)
        from console.services.auth import Principal
        return Principal(id=user.id, username=user.username, display_name=user.display_name,
                         role=user.role, agency_code=user.agency_code)

    return make


@pytest.fixture
def make_case(db):
    """Store a mention and open its case, as a collector would (untagged unless given tags)."""
    from datetime import UTC, datetime

    from store.cases import Actor, CaseTags, load_targets
    from store.db import write_session
    from store.intake import open_case
    from store.tables import Mention

    counter = iter(range(1, 10**9))

    def make(text: str = "jalan berlubang di Genteng", created_at: datetime | None = None,
             platform: str = "twitter", category: str | None = None, urgency: str | None = None,
             thread_key: str | None = None, author: str = "warga_bwi"):
        created_at = created_at or datetime(2026, 11, 29, 11, 41, tzinfo=UTC)
        n = next(counter)
        with write_session() as session:
            mention = Mention(platform=platform, external_id=f"ext-{n}", text=text, created_at=created_at,
                              author_handle=author, thread_key=thread_key or f"thread-{n}", raw={"n": n})
            session.add(mention)
            session.flush()
            tags = CaseTags(category=category, urgency=urgency) if category else None
            case = open_case(session, mention, tags, load_targets(session), Actor(None, "system:test"))
        return case

    return make


def pytest_terminal_summary(terminalreporter):
    ran = "SQLite and PostgreSQL" if PG_URL else "SQLite only (set TANGGAP_TEST_DATABASE_URL for PostgreSQL)"
    terminalreporter.write_line(f"database backends: {ran}")


@pytest.fixture
def two_agencies(make_user, make_case):
    """(staff, DINKES head, a PUBM case, a DINKES case), both opened two hours ago: what an
    agency head may and may not see, act on or export."""
    from datetime import UTC, datetime, timedelta

    from console.services import cases as case_service
    staff = make_user("kominfo1", "komunikasi")
    head = make_user("kadinkes", "kepala_dinas", agency="DINKES")
    opened = datetime.now(UTC) - timedelta(hours=2)
    theirs = make_case("jalan rusak", created_at=opened, category="infrastruktur", urgency="sedang")
    case_service.assign(staff, theirs.id, None, agency_code="PUBM")
    mine = make_case("puskesmas tutup", created_at=opened, category="kesehatan", urgency="tinggi")
    case_service.assign(staff, mine.id, None, agency_code="DINKES")
    return staff, head, theirs, mine
