"""The channels and the sender: email over STARTTLS (aiosmtpd), SMS into the real Gammu SMSD
outbox schema, Telegram; a channel that is down holds up no other, retries back off and
end in ``failed`` after the last try; no token in any error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from console.services import alert_admin, people
from console.services.alert_sender import FIRST_RETRY, MAX_ATTEMPTS
from console.worker.alert_jobs import AlertsJob
from store.db import read_session
from store.settings import get_settings
from store.tables import Alert
from tests.alerts.test_rules import REPORT, SUNDAY_1845_WIB

pytestmark = pytest.mark.time_machine(SUNDAY_1845_WIB, tick=False)
NOW = SUNDAY_1845_WIB


def states() -> dict[tuple[str, str], tuple[str, int]]:
    """(channel, recipient id as text) → (state, attempts) of the non-console alerts."""
    with read_session() as session:
        return {(a.channel, str(a.recipient_id)): (a.state, a.attempts)
                for a in session.exec(select(Alert).where(Alert.channel != "console")).all()}


def choose(users, name: str, channels: str) -> None:
    row = people.contacts(users["admin"], name)
    people.set_contacts(users["admin"], name, mobile=row.mobile, email=row.email,
                        telegram_chat_id=row.telegram_chat_id, channels=channels)


def test_email_goes_over_starttls_with_the_case_and_no_phone(on_duty, make_case, smtp):
    choose(on_duty, "budi", "email")
    case = make_case(REPORT, category="kesehatan", urgency="kritis")
    result = AlertsJob(get_settings()).run(NOW)
    assert (result.done, result.failed) == (2, 0)  # console + email
    [mail] = smtp.messages
    assert mail["tls"] and mail["to"] == ["budi@banyuwangikab.go.id"]
    assert f"Subject: [Tanggap] Kasus KRITIS baru: kasus #{case.id}" in mail["data"]
    assert "0812-3333-4444" not in mail["data"]


def test_sms_goes_to_the_gammu_outbox_once(on_duty, make_case, gammu_db, monkeypatch):
    monkeypatch.setenv("TANGGAP_SMS_GAMMU_URL", gammu_db.url)
    get_settings.cache_clear()
    choose(on_duty, "budi", "sms")
    make_case(REPORT, category="kesehatan", urgency="kritis")
    AlertsJob(get_settings()).run(NOW)
    [row] = gammu_db.rows("outbox")
    assert row["DestinationNumber"] == "+6281234561001"  # budi's 0812-3456-1001 as E.164
    assert row["CreatorID"].startswith("tanggap-alert-") and "KRITIS" in row["TextDecoded"]
    # A second send of the same alert (a crash before it was recorded) queues nothing new.
    from collectors.gammu_outbox import gammu_engine, queue_sms
    queue_sms(gammu_engine(gammu_db.url), row["DestinationNumber"], "x", row["CreatorID"])
    assert len(gammu_db.rows("outbox")) == 1


def test_a_channel_that_is_down_holds_up_no_other_and_backs_off_until_failed(on_duty, make_case, telegram, smtp):
    choose(on_duty, "budi", "telegram,email")
    make_case(REPORT, category="kesehatan", urgency="kritis")
    telegram.down = True
    job = AlertsJob(get_settings())
    first = job.run(NOW)
    assert (first.done, first.note) == (2, "retry later 1; down: telegram")  # console and email went
    assert len(smtp.messages) == 1
    budi = str(on_duty["budi"].id)
    assert states()[("telegram", budi)] == ("pending", 1)
    assert job.run(NOW + FIRST_RETRY - timedelta(seconds=1)).done == 0  # not before its backoff
    at = NOW
    for attempt in range(2, MAX_ATTEMPTS + 1):
        at += FIRST_RETRY * 2 ** (attempt - 1)
        job.run(at)
        assert states()[("telegram", budi)] == ("failed" if attempt == MAX_ATTEMPTS else "pending", attempt)
    [problem] = alert_admin.problem_alerts(on_duty["admin"])
    assert problem.channel == "telegram" and "502" in (problem.last_error or "")
    assert "rahasia-bot-token" not in (problem.last_error or "")


def test_an_unknown_chat_fails_at_once_and_the_others_still_get_theirs(on_duty, make_case, telegram):
    telegram.missing_chats.add("1001")  # budi's chat
    case = make_case(REPORT, category="kesehatan", urgency="kritis")
    from console.services import cases as case_service
    case_service.assign(on_duty["budi"], case.id, None, agency_code="DINKES", supporting=["KEC_GLAGAH"])
    result = AlertsJob(get_settings()).run(NOW)
    assert result.failed == 1 and sorted(m.chat_id for m in telegram.messages) == ["1002", "1003", "1004"]
    assert states()[("telegram", str(on_duty["budi"].id))] == ("failed", 1)


def test_a_telegram_token_never_reaches_an_error_text(on_duty, make_case, monkeypatch):
    monkeypatch.setenv("TANGGAP_TELEGRAM_BOT_TOKEN", "123456:rahasia-bot-token")
    monkeypatch.setenv("TANGGAP_TELEGRAM_API_BASE", "http://127.0.0.1:9")  # nothing listens on port 9
    monkeypatch.setenv("TANGGAP_HTTP_TIMEOUT", "2")
    get_settings.cache_clear()
    make_case(REPORT, category="kesehatan", urgency="kritis")
    AlertsJob(get_settings()).run(NOW)
    with read_session() as session:
        [alert] = session.exec(select(Alert).where(Alert.channel == "telegram")).all()
    assert alert.last_error and "Telegram unreachable" in alert.last_error
    assert "rahasia" not in alert.last_error


def test_with_no_channel_configured_alerts_go_to_the_console_list_and_the_log(on_duty, make_case, caplog):
    from console.services.alert_inbox import mark_read, my_alerts, unread_count
    case = make_case(REPORT, category="kesehatan", urgency="kritis")
    with caplog.at_level("INFO", logger="tanggap.alerts"):
        assert AlertsJob(get_settings()).run(datetime(2026, 11, 29, 11, 45, tzinfo=UTC)).done == 1
    assert f"to budi: [Tanggap] Kasus KRITIS baru: kasus #{case.id}" in caplog.text
    assert unread_count(on_duty["budi"]) == 1
    [item] = my_alerts(on_duty["budi"])
    assert item.urgency == "kritis" and not item.read
    mark_read(on_duty["budi"])
    assert unread_count(on_duty["budi"]) == 0
