"""The issue's two stories through the real import path and the trained model (the session's
small model, with the routing threshold its own cross-validation chose): the Sunday 18:41
meningitis message goes to DINKES with the Glagah kecamatan office, and a thread that opens
with a greeting becomes kritis when the seizure follows, with an earlier due time."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from classifier import registry
from collectors.files import import_file
from store.db import read_session
from store.tables import Case, CaseEvent, CaseSupport
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB
MENINGITIS = ("Pak Bupati tolong, anak saya panas tinggi dan kejang2, kata bidan desa curiga meningitis. "
              "Kami di Kemiren, Glagah, belum ada ambulans")


def write_csv(path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def cases_with_events() -> list[tuple[Case, list[str], list[CaseEvent]]]:
    with read_session() as s:
        out = []
        for case in s.exec(select(Case).order_by(Case.id)).all():
            support = sorted(s.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case.id)).all())
            events = list(s.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
            out.append((case, support, events))
        return out


def test_the_model_card_holds_a_routing_threshold_chosen_by_cross_validation(trained):
    settings = registry.read_settings(trained)
    assert 0.3 <= settings["routing_threshold"] < 1
    card = (trained / "card.md").read_text(encoding="utf-8")
    assert f"route at intake when P(category) ≥ {settings['routing_threshold']}" in card
    assert "routed at intake (category probability ≥" in card  # the test split's figures


def test_the_sunday_meningitis_message_goes_to_dinkes_with_the_glagah_office(db, trained, tmp_path):
    write_csv(tmp_path / "laporan.csv", [{"waktu": "29/11/2026 18:41", "pesan": MENINGITIS, "nomor": "081234567890",
                                          "kanal": "sms"}])
    assert import_file(tmp_path / "laporan.csv").imported == 1
    [(case, support, events)] = cases_with_events()
    assert case.opened_at == datetime(2026, 11, 29, 11, 41, tzinfo=UTC)  # Sunday 18:41 WIB
    assert (case.category, case.urgency, case.kecamatan_code) == ("kesehatan", "kritis", "35.10.15")
    assert (case.lead_agency_code, support, case.status) == ("DINKES", ["KEC_GLAGAH"], "assigned")
    routed = events[-1]
    assert (routed.action, routed.actor_label) == ("routed", "system:router")
    assert routed.new_value["probability"] >= routed.new_value["threshold"] == registry.read_settings(
        trained)["routing_threshold"]


def test_a_greeting_then_a_seizure_makes_the_thread_kritis(db, trained, tmp_path, monkeypatch):
    monkeypatch.setenv("TANGGAP_SLA_TARGET_MINUTES_BY_URGENCY", '{"kritis": 60}')
    from store.settings import get_settings
    get_settings.cache_clear()
    first = {"waktu": "29/11/2026 18:41", "pesan": "pak mau lapor", "nomor": "081234567890", "kanal": "sms"}
    write_csv(tmp_path / "1.csv", [first])
    import_file(tmp_path / "1.csv")
    [(case, _, _)] = cases_with_events()
    assert case.urgency != "kritis"
    follow_up = {**first, "waktu": "29/11/2026 18:44", "pesan": "anak saya kejang2 sudah tidak sadar"}
    write_csv(tmp_path / "2.csv", [follow_up])
    import_file(tmp_path / "2.csv")
    [(case, _, events)] = cases_with_events()
    assert case.urgency == "kritis" and case.mention_count == 2
    assert case.due_at == datetime(2026, 11, 29, 11, 41, tzinfo=UTC) + timedelta(minutes=60)
    [raised] = [e for e in events if e.action == "urgency_raised"]
    assert raised.actor_label == "system:tagger" and raised.new_value["urgency"] == "kritis"
