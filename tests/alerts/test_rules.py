"""Each alert rule end to end: a case event (written by intake, staff or the system) queues
its alerts in the same transaction, and the worker's alerts job delivers each exactly once
on the recipient's channel (a fake Telegram Bot API on 127.0.0.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from console.services import cases as case_service
from console.worker.alert_jobs import AlertsJob, TimersJob
from store.db import read_session, write_session
from store.settings import get_settings
from store.tables import Alert, StaffUser

# Sunday 29 November 2026, 18:45 WIB: four minutes after the famous report came in.
SUNDAY_1845_WIB = datetime(2026, 11, 29, 11, 45, tzinfo=UTC)
pytestmark = pytest.mark.time_machine(SUNDAY_1845_WIB, tick=False)
REPORT = ("pak tolong anak saya panas tinggi kejang2 leher kaku, sudah dibawa ke puskesmas disuruh ke RS, "
          "hp saya 0812-3333-4444, desa Kemiren Glagah")


def alerts() -> list[tuple[str, str, str]]:
    """(rule, username, channel) of every queued alert."""
    with read_session() as session:
        rows = session.exec(select(Alert.rule, StaffUser.username, Alert.channel)
                            .join(StaffUser, StaffUser.id == Alert.recipient_id).order_by(Alert.id)).all()
    return [tuple(r) for r in rows]


def send(now: datetime | None = None):
    return AlertsJob(get_settings()).run(now or datetime.now(UTC))


def test_a_kritis_case_alerts_the_comms_officer_on_duty_then_the_agency_and_the_camat_once(
        on_duty, make_case, telegram):
    case = make_case(REPORT, category="kesehatan", urgency="kritis")
    # Opened with no agency (below the routing threshold): the comms officer on duty (Sunday evening: budi).
    assert alerts() == [("new_kritis", "budi", "console"), ("new_kritis", "budi", "telegram")]
    # Assigned by budi to DINKES with the Glagah kecamatan office supporting (test_done_when
    # has the router do it): the DINKES officer on duty, its head and the camat; twice, once each.
    case_service.assign(on_duty["budi"], case.id, None, agency_code="DINKES", supporting=["KEC_GLAGAH"])
    case_service.assign(on_duty["budi"], case.id, None, agency_code="DINKES", supporting=["KEC_GLAGAH"])
    telegram_alerts = sorted(name for rule, name, channel in alerts() if channel == "telegram")
    assert telegram_alerts == ["budi", "camatglagah", "kadinkes", "pkdinkes"]
    assert ("new_kritis", "ani", "console") not in alerts()  # ani is off duty on Sundays

    result = send()
    assert (result.done, result.failed) == (8, 0)  # 4 people × (console list + Telegram)
    assert send().done == 0  # nothing twice
    assert sorted(m.chat_id for m in telegram.messages) == ["1001", "1002", "1003", "1004"]
    text = telegram.messages[0].text
    assert f"Kasus #{case.id} · Kesehatan · urgensi Kritis" in text
    assert "Batas waktu: 29/11/2026 " in text and "WIB" in text
    assert f"http://localhost:8501/kasus?case={case.id}" in text
    assert "0812-3333-4444" not in text and "3333" not in text  # never the citizen's number
    camat = next(m.text for m in telegram.messages if m.chat_id == "1004")
    assert "Lokasi:" in camat and "Dinas: DINKES (dukungan KEC_GLAGAH)" in camat


def test_a_tinggi_case_alerts_the_comms_officer_on_duty_only(on_duty, make_case, telegram):
    case = make_case("puskesmas tutup padahal jam buka", category="kesehatan", urgency="tinggi")
    case_service.assign(on_duty["budi"], case.id, None, agency_code="DINKES")
    assert alerts() == [("new_tinggi", "budi", "console"), ("new_tinggi", "budi", "telegram")]


def test_a_sedang_case_alerts_nobody_until_its_urgency_rises(on_duty, make_case, telegram):
    from store.cases import Actor, _update, get_case
    case = make_case("pak mau lapor", category="kesehatan", urgency="sedang")
    case_service.assign(on_duty["budi"], case.id, None, agency_code="DINKES")
    assert alerts() == []
    # The tagger raises it on a follow-up ("sudah tidak sadar"): the event alone fires the rule.
    with write_session() as session:
        _update(session, get_case(session, case.id), None, Actor(None, "system:tagger"), "urgency_raised",
                {"urgency": "sedang"}, {"urgency": "kritis"}, None, urgency="kritis")
    assert sorted({name for _, name, _ in alerts()}) == ["budi", "kadinkes", "pkdinkes"]
    assert send().failed == 0 and len(telegram.messages) == 3


def test_a_restricted_case_is_announced_without_its_text(on_duty, make_case, telegram):
    make_case("anak saya dipukuli ayah tirinya", category="perlindungan_anak", urgency="kritis")
    send()
    [message] = telegram.messages
    assert "Isi: [dilindungi]" in message.text and "dipukuli" not in message.text


def test_alert_rules_an_admin_changed_are_followed(on_duty, make_case, telegram):
    from console.services import alert_admin
    alert_admin.set_rule(on_duty["admin"], "new_tinggi", enabled=True, recipients=["comms_on_duty", "user:kadinkes"])
    make_case("puskesmas tutup", category="kesehatan", urgency="tinggi")
    assert sorted({name for _, name, _ in alerts()}) == ["budi", "kadinkes"]
    alert_admin.set_rule(on_duty["admin"], "new_tinggi", enabled=False, recipients=["comms_on_duty"])
    make_case("puskesmas tutup lagi", category="kesehatan", urgency="tinggi")
    assert len(alerts()) == 4  # the second case: none


def test_at_risk_then_breached_with_a_worker_down_across_the_deadline(on_duty, make_case, telegram, monkeypatch,
                                                                     time_machine):
    monkeypatch.setenv("TANGGAP_ALERT_ESCALATION", "root")
    monkeypatch.setenv("TANGGAP_ALERT_COMMS_COORDINATOR", "ani")
    get_settings.cache_clear()
    opened = SUNDAY_1845_WIB
    case = make_case("lampu jalan mati", created_at=opened, category="infrastruktur", urgency="sedang")
    case_service.assign(on_duty["budi"], case.id, None, agency_code="DINKES", assignee="pkdinkes")
    timers = TimersJob(get_settings())
    assert timers.run(opened + timedelta(hours=2, minutes=59)).done == 0  # 61 of 240 minutes left
    time_machine.move_to(opened + timedelta(hours=3))
    # pkdinkes and kadinkes, each on the console list and Telegram
    assert timers.run(opened + timedelta(hours=3)).note == "at risk 4, breached 0, incident 0"
    assert timers.run(opened + timedelta(hours=3, minutes=1)).done == 0  # once
    assert sorted({(r, n) for r, n, _ in alerts()}) == [("at_risk", "kadinkes"), ("at_risk", "pkdinkes")]
    send(opened + timedelta(hours=3))
    # The worker is down from 22:00 to 23:35 WIB, across the 22:45 deadline.
    late = opened + timedelta(hours=4, minutes=50)
    time_machine.move_to(late)
    # the escalation list and the coordinator, on the console list
    assert timers.run(late).note == "at risk 0, breached 2, incident 0"
    send(late)
    breached = [m.text for m in telegram.messages if "MELEWATI" in m.text]
    assert breached == []  # root and ani chose no Telegram: their alerts are in the console list
    with read_session() as session:
        rows = session.exec(select(Alert).where(Alert.rule == "breached")).all()
    assert {r.state for r in rows} == {"sent"} and {r.due_at for r in rows} == {case.due_at}
    from console.services.alert_inbox import my_alerts
    [item] = my_alerts(on_duty["ani"])
    assert "Peringatan ini terlambat 50 menit" in item.text
