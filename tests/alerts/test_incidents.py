"""Incidents: three flood reports from one kecamatan within an hour become one incident,
announced once to the comms officer on duty and the agency the routing table gives; a
fourth joins it quietly; two reports, or three spread over more than the window, do not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from console.services.incidents import list_incidents
from console.worker.alert_jobs import TimersJob
from store.db import read_session, write_session
from store.settings import get_settings
from store.tables import Alert, Case, StaffUser
from tests.alerts.test_rules import SUNDAY_1845_WIB
from tests.console.conftest import no_exception, shown

pytestmark = pytest.mark.time_machine(SUNDAY_1845_WIB, tick=False)


def flood(make_case, minutes_before: int, kecamatan: str = "35.10.15"):
    case = make_case("banjir masuk rumah warga", created_at=SUNDAY_1845_WIB - timedelta(minutes=minutes_before),
                     category="bencana", urgency="sedang")
    with write_session() as session:
        row = session.get(Case, case.id)
        row.kecamatan_code = kecamatan
        session.add(row)
    return case


def incident_alerts() -> list[tuple[int, str, str]]:
    with read_session() as session:
        return [tuple(r) for r in session.exec(
            select(Alert.case_id, StaffUser.username, Alert.channel).join(StaffUser, StaffUser.id == Alert.recipient_id)
            .where(Alert.rule == "incident").order_by(Alert.id)).all()]


def test_a_burst_of_reports_becomes_one_incident_announced_once(on_duty, make_case, make_user, app):
    make_user("kabpbd", "kepala_dinas", agency="BPBD")  # bencana is routed to BPBD by the seed's table
    first, second = flood(make_case, 50), flood(make_case, 30)
    flood(make_case, 20, kecamatan="35.10.01")  # another kecamatan
    timers = TimersJob(get_settings())
    assert timers.run(SUNDAY_1845_WIB).note == ""  # two reports are not yet an incident
    third = flood(make_case, 5)
    assert timers.run(SUNDAY_1845_WIB).note == "at risk 0, breached 0, incident 2"
    # the comms officer on duty and BPBD's head (no roster), on the console list (no Telegram configured)
    assert incident_alerts() == [(first.id, "budi", "console"), (first.id, "kabpbd", "console")]
    fourth = flood(make_case, 1)
    assert timers.run(SUNDAY_1845_WIB).done == 0  # joins the incident, no second announcement
    [incident] = list_incidents(on_duty["budi"])
    assert (incident.kecamatan, incident.case_ids) == ("Glagah", [first.id, second.id, third.id, fourth.id])
    at = app(on_duty["budi"], "console/incidents.py")
    no_exception(at)
    assert shown(at, "Banyak laporan sejenis")


def test_reports_spread_over_more_than_the_window_are_no_incident(on_duty, make_case):
    for minutes in (200, 120, 40):
        flood(make_case, minutes)
    assert TimersJob(get_settings()).run(SUNDAY_1845_WIB).done == 0
    assert list_incidents(on_duty["budi"]) == []
