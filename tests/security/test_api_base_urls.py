"""The bearer token and the Page token travel with every request, so the base URLs they go
to must be https; plain http is allowed only to loopback, for the local test servers."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from store.settings import SettingsError, get_settings


@pytest.mark.parametrize("setting", ["x_api_base", "facebook_graph_url"])
@pytest.mark.parametrize("url", [
    "http://api.twitter.com",  # the real host in clear
    "http://10.0.0.5:8080/",  # a private address is still a network
    "http://127.0.0.1.nip.io/",  # looks like loopback, resolves anywhere
    "http://localhost.evil.example/",  # 'localhost' only as the whole name
    "ftp://graph.facebook.com/",  # not http at all
    "api.twitter.com",  # no scheme
])
def test_a_token_url_that_is_not_https_is_refused_naming_the_setting(monkeypatch, setting, url):
    monkeypatch.setenv(f"TANGGAP_{setting.upper()}", url)
    with pytest.raises(SettingsError) as raised:
        get_settings()
    message = str(raised.value)
    assert message.startswith(f"TANGGAP_{setting.upper()}: must be an https:// URL") and "\n" not in message


@pytest.mark.parametrize("url", [
    "https://api.twitter.com",  # the default
    "https://proxy.pemkab.example:8443/x",  # an https proxy
    "http://127.0.0.1:8080",  # the local fake servers
    "http://127.5.0.1/",  # all of 127.0.0.0/8 is loopback
    "http://[::1]:9000/",
    "http://localhost:9000/",
])
def test_https_and_loopback_are_accepted(monkeypatch, url):
    monkeypatch.setenv("TANGGAP_X_API_BASE", url)
    monkeypatch.setenv("TANGGAP_FACEBOOK_GRAPH_URL", url)
    settings = get_settings()
    assert settings.x_api_base == url and settings.facebook_graph_url == url


def test_tanggap_toml_cannot_send_the_token_in_clear_either(tmp_path):
    (tmp_path / "tanggap.toml").write_text('x_api_base = "http://api.twitter.com"\n')
    with pytest.raises(SettingsError, match=r"^TANGGAP_X_API_BASE: must be an https:// URL"):
        get_settings()


def test_the_cli_stops_with_one_line_and_exit_code_2(monkeypatch):
    from console.cli import app
    monkeypatch.setenv("TANGGAP_FACEBOOK_GRAPH_URL", "http://graph.facebook.com/")
    result = CliRunner().invoke(app, ["collect", "--once"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: TANGGAP_FACEBOOK_GRAPH_URL: must be an https:// URL (the token travels with every request; "
        "http:// only to 127.0.0.1, ::1 or localhost, for a local test server), got 'http://graph.facebook.com/'"]
