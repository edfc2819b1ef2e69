"""Migrations agree with the models; bad settings give one clear line naming the setting."""

import sqlite3
import subprocess
import sys

import pytest

from store.migrate import current_revision, schema_differences, upgrade


def test_models_and_migrations_agree(db):
    assert schema_differences(db) == []
    assert current_revision(db) is not None


def test_upgrade_twice_is_harmless(db):
    upgrade(db)
    assert schema_differences(db) == []


def _tanggap(*args, env):
    return subprocess.run([sys.executable, "-m", "console.cli.__main__", *args], capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    import os
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANGGAP_")}
    env["PYTHONPATH"] = str(__import__("pathlib").Path(__file__).resolve().parents[2])
    return env


@pytest.mark.parametrize("url, fragment", [
    ("not a url", "is not a database URL"),  # garbage
    ("nosuchdb://x/y", "unsupported database"),  # unknown dialect
    ("sqlite:////proc/tanggap/x.db", "cannot create the folder"),  # unwritable path
    ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open"),  # nothing listening
])
def test_bad_database_url_gives_one_clear_line_and_nonzero_exit(cli_env, url, fragment):
    cli_env["TANGGAP_DATABASE_URL"] = url
    result = _tanggap("db", "upgrade", env=cli_env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: TANGGAP_DATABASE_URL") and fragment in lines[0]


def test_read_only_database_file_is_reported(cli_env, tmp_path):
    # SQLite's mode=ro opens the file read-only for everyone, root included (root ignores
    # file modes, and CI runs as root), so this checks a read-only database file wherever
    # it runs.
    db_file = tmp_path / "ro.db"
    with sqlite3.connect(db_file) as conn:
        conn.execute("CREATE TABLE existing (x)")
    cli_env["TANGGAP_DATABASE_URL"] = f"sqlite:///file:{db_file}?mode=ro&uri=true"
    result = _tanggap("db", "upgrade", env=cli_env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: TANGGAP_DATABASE_URL: cannot open") and "readonly database" in lines[0]
    with sqlite3.connect(db_file) as conn:  # nothing was written
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("existing",)]


def test_token_in_toml_is_refused(tmp_path, monkeypatch):
    from store.settings import SettingsError, get_settings
    (tmp_path / "tanggap.toml").write_text('x_bearer_token = "AAAA"\n')
    get_settings.cache_clear()
    with pytest.raises(SettingsError, match="must not hold x_bearer_token"):
        get_settings()


def test_toml_and_environment_settings(tmp_path, monkeypatch):
    from store.settings import get_settings
    (tmp_path / "tanggap.toml").write_text('sla_target_minutes = 120\n')
    monkeypatch.setenv("TANGGAP_SLA_TARGET_MINUTES_BY_URGENCY", '{"kritis": 60}')
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.sla_target_minutes == 120 and settings.sla_target_minutes_by_urgency == {"kritis": 60}


def test_unknown_urgency_in_targets_is_refused(monkeypatch):
    from store.settings import SettingsError, get_settings
    monkeypatch.setenv("TANGGAP_SLA_TARGET_MINUTES_BY_URGENCY", '{"gawat": 60}')
    get_settings.cache_clear()
    with pytest.raises(SettingsError, match="unknown urgency 'gawat'"):
        get_settings()


def test_secret_token_is_never_shown(monkeypatch):
    from store.settings import get_settings
    monkeypatch.setenv("TANGGAP_X_BEARER_TOKEN", "AAAA-secret-token")
    get_settings.cache_clear()
    settings = get_settings()
    assert "AAAA-secret-token" not in repr(settings) and "AAAA-secret-token" not in str(settings.model_dump())
