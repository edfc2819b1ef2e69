"""Fixtures of the alert tests: people on duty, and the fake channels."""

from __future__ import annotations

import ssl

import pytest

from tests.alerts.fakes import FakeTelegram, Mailbox, free_port
from tests.console.conftest import app  # noqa: F401  (fixture: the console pages under AppTest)


@pytest.fixture
def telegram(monkeypatch):
    fake = FakeTelegram()
    monkeypatch.setenv("TANGGAP_TELEGRAM_BOT_TOKEN", "123456:rahasia-bot-token")
    monkeypatch.setenv("TANGGAP_TELEGRAM_API_BASE", fake.url)
    monkeypatch.setenv("TANGGAP_HTTP_TIMEOUT", "3")
    from store.settings import get_settings
    get_settings.cache_clear()
    yield fake
    fake.close()


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    """An SMTP server on 127.0.0.1 that requires STARTTLS, with a certificate the client
    trusts through SSL_CERT_FILE (a CA made for this test)."""
    import trustme
    from aiosmtpd.controller import Controller
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("TANGGAP_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("TANGGAP_SMTP_FROM", "tanggap@banyuwangikab.go.id")
    from store.settings import get_settings
    get_settings.cache_clear()
    yield mailbox
    controller.stop()


@pytest.fixture
def on_duty(make_user):
    """The people of the Sunday 18:41 case: the comms officer on duty (budi, every evening
    16:00–08:00), a DINKES officer on duty (pkdinkes, Sundays all day), the DINKES head and
    the camat of Glagah, each with Telegram; plus an admin and ani (comms, weekdays)."""
    from console.services import people
    admin = make_user("root", "admin")
    users = {"admin": admin, "ani": make_user("ani", "komunikasi"), "budi": make_user("budi", "komunikasi"),
             "pkdinkes": make_user("pkdinkes", "petugas", agency="DINKES"),
             "kadinkes": make_user("kadinkes", "kepala_dinas", agency="DINKES"),
             "camat": make_user("camatglagah", "kepala_dinas", agency="KEC_GLAGAH")}
    for chat, name in enumerate(("budi", "pkdinkes", "kadinkes", "camatglagah"), start=1001):
        people.set_contacts(admin, name, mobile=f"08123456{chat}", email=f"{name}@banyuwangikab.go.id",
                            telegram_chat_id=str(chat), channels="telegram")
    for day in range(5):
        people.add_shift(admin, "KOMUNIKASI", "ani", "08:00", "16:00", weekday=day)
    for day in range(7):
        people.add_shift(admin, "KOMUNIKASI", "budi", "16:00", "08:00", weekday=day)
    people.add_shift(admin, "DINKES", "pkdinkes", "00:00", "00:00", weekday=6)
    return users
