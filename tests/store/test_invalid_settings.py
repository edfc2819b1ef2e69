"""README (Settings): "any invalid setting stops every command with one line naming the
setting". load_settings turns each into one SettingsError naming the variable; the CLI's
one line and exit code 2 for a SettingsError are tested in tests/security/test_api_base_urls."""

from __future__ import annotations

import pytest

from store.settings import SettingsError, load_settings


@pytest.mark.parametrize("name, value", [
    ("TANGGAP_DISPLAY_TIMEZONE", "Mars/Base"),  # no such zone
    ("TANGGAP_DISPLAY_TIMEZONE", "../etc"),  # not a zone name at all
    ("TANGGAP_SLA_TARGET_MINUTES", "abc"),  # not a number
    ("TANGGAP_SESSION_TIMEOUT_MINUTES", "-5"),  # a timeout in the past
    ("TANGGAP_LOGIN_MAX_FAILURES", "0"),  # would lock every name at once
    ("TANGGAP_LOGIN_LOCKOUT_MINUTES", "0"),
    ("TANGGAP_X_POLL_SECONDS", "0"),  # a source polled in a busy loop
    ("TANGGAP_FACEBOOK_POLL_SECONDS", "-60"),
    ("TANGGAP_SMS_POLL_SECONDS", "0"),
    ("TANGGAP_X_MONTHLY_READ_BUDGET", "-1"),
    ("TANGGAP_HTTP_TIMEOUT", "0"),  # every call timed out
    ("TANGGAP_FACEBOOK_COMMENT_DAYS", "91"),  # README: 1–90
    ("TANGGAP_STATS_WORK_MEM_MB", "2049"),  # README: 4–2048
])
def test_an_invalid_setting_is_one_error_naming_it(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert message.startswith(f"{name}: ") and "\n" not in message, message


@pytest.mark.parametrize("setting, url", [
    ("database_url", "postgresql+psycopg://tanggap:s3cret@db.example/tanggap"),
    ("sms_gammu_url", "mysql+pymysql://gammu:s3cret@127.0.0.1/smsd"),
])
def test_a_password_in_tanggap_toml_is_refused(tmp_path, setting, url):
    # README: "Tokens and passwords are read only from the environment or from files in
    # TANGGAP_SECRETS_DIR"; tanggap.toml is meant to be committed and shared.
    (tmp_path / "tanggap.toml").write_text(f'{setting} = "{url}"\n')
    with pytest.raises(SettingsError, match=f"tanggap.toml must not hold {setting}"):
        load_settings()


def test_a_database_url_without_a_password_may_be_in_tanggap_toml(tmp_path, monkeypatch):
    (tmp_path / "tanggap.toml").write_text('database_url = "postgresql+psycopg://tanggap@db.example/tanggap"\n')
    assert load_settings().database_url == "postgresql+psycopg://tanggap@db.example/tanggap"
    monkeypatch.setenv("TANGGAP_DATABASE_URL", "postgresql+psycopg://tanggap:s3cret@db.example/tanggap")
    assert load_settings().database_url.endswith(":s3cret@db.example/tanggap")  # the environment may
