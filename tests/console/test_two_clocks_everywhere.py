"""Issue 18's "done when": a case acknowledged at once and visited after nine hours shows
acknowledgement met and handling missed on the case page, in `case show --json`, in the
statistics and in the exports; and staff choose and correct a response's kind.

Hand-worked: the case opens at 08:00 WIB (01:00 UTC); a platform reply at 08:02 WIB stops the
acknowledgement clock after 2 minutes (target 60 → met); the field visit at 17:00 WIB stops the
handling clock after 540 minutes (target 240 → missed). "Now" is 18:00 WIB.
Statistics of that one case: handling 0 met, 1 missed, 0 % within target, median = p90 = 540;
acknowledgement 1 met, 0 missed, 100 % within target, median = p90 = 2.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from console.cli import app as cli
from console.services import cases as case_service
from console.services import export
from console.services import stats as stats_service
from store.db import read_session
from store.queries import case_timeline
from store.tables import Case
from tests.console.conftest import no_exception, shown
from tests.console.test_export import read_csv, read_xlsx

OPENED = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # Friday 08:00 WIB
NOW = OPENED + timedelta(hours=10)
PAGE = "console/case.py"


@pytest.fixture
def visited_late(make_user, make_case, time_machine):
    """(staff, case): acknowledged at once on the platform, the visit nine hours later."""
    time_machine.move_to(NOW, tick=True)
    staff = make_user("ani", "komunikasi")
    case = make_case("anak demam kejang di Glagah", created_at=OPENED, category="kesehatan", urgency="sedang")
    case_service.respond(staff, case.id, None, text="Laporan diterima, kami teruskan ke Dinkes.",
                         channel="platform_reply", happened_at=OPENED + timedelta(minutes=2))
    case_service.respond(staff, case.id, None, text="Petugas puskesmas sudah datang ke rumah.",
                         channel="field_visit", happened_at=OPENED + timedelta(hours=9))
    return staff, case


def test_case_page_shows_acknowledgement_met_and_handling_missed(app, visited_late):
    staff, case = visited_late
    at = app(staff, PAGE, case=case.id)
    no_exception(at)
    assert shown(at, "Penanganan (SOP): ⚠️ Terlambat ditangani · batas waktu 27/11/2026 12:00 WIB · "
                     "ditangani 27/11/2026 17:00 WIB")
    assert shown(at, "Pengakuan: ✅ Diakui tepat waktu · batas waktu 27/11/2026 09:00 WIB · "
                     "tanggapan pertama 27/11/2026 08:02 WIB")


def test_case_show_json_keeps_sla_as_the_handling_clock_and_adds_the_acknowledgement(visited_late):
    _, case = visited_late
    result = CliRunner().invoke(cli, ["case", "show", str(case.id), "--json", "--as", "ani"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["sla"], data["acknowledgement_sla"]) == ("missed", "met")
    assert (data["due_at"], data["first_handling_at"]) == ("27/11/2026 12:00 WIB", "27/11/2026 17:00 WIB")
    assert (data["ack_due_at"], data["first_response_at"]) == ("27/11/2026 09:00 WIB", "27/11/2026 08:02 WIB")
    assert [e["kind"] for e in data["timeline"] if e["action"] == "responded"] == ["acknowledgement", "handling"]


def test_statistics_report_both_clocks(visited_late):
    staff, _ = visited_late
    [row] = stats_service.response_stats(staff, now=NOW)
    assert (row.handled, row.met, row.missed, row.pct_within_target, row.median_minutes, row.p90_minutes) == (
        1, 0, 1, 0.0, 540, 540)
    assert (row.acknowledged, row.ack_met, row.ack_missed, row.pct_acknowledged_within_target,
            row.ack_median_minutes, row.ack_p90_minutes) == (1, 1, 0, 100.0, 2, 2)
    result = CliRunner().invoke(cli, ["stats", "--json", "--as", "ani"])
    assert result.exit_code == 0, result.output
    [data] = json.loads(result.output)
    assert (data["pct_within_target"], data["pct_acknowledged_within_target"]) == (0.0, 100.0)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_report_both_clocks(visited_late, tmp_path, fmt):
    staff, _ = visited_late
    cases_file, stats_file = tmp_path / f"cases.{fmt}", tmp_path / f"stats.{fmt}"
    export.export_cases(staff, export.case_filter(), fmt, cases_file, now=NOW)
    export.export_stats(staff, fmt, stats_file, now=NOW)
    read = read_csv if fmt == "csv" else read_xlsx
    [row] = read(cases_file)
    assert (row["sla_result"], row["ack_sla_result"]) == ("missed", "met")
    assert (str(row["first_response_minutes"]), str(row["handling_minutes"])) == ("2", "540")
    overall = next(r for r in read(stats_file) if r["section"] == "overall")
    figures = ("met", "missed", "pct_within_target", "median_minutes", "ack_met", "ack_missed",
               "pct_acknowledged_within_target", "ack_median_minutes")
    assert [float(overall[k]) for k in figures] == [0, 1, 0, 540, 1, 0, 100, 2]


def test_staff_choose_the_kind_when_logging_and_correct_it_later(app, make_user, make_case, time_machine):
    time_machine.move_to(NOW, tick=True)
    staff = make_user("ani", "komunikasi")
    case = make_case("kapan pendaftaran beasiswa dibuka?", created_at=OPENED, category="pendidikan",
                     urgency="rendah")
    at = app(staff, PAGE, case=case.id)
    field = next(w for w in at.text_area if w.key.startswith("case_resp_text_"))
    field.input("Pendaftaran dibuka 1 Desember di banyuwangikab.go.id")
    next(w for w in at.selectbox if w.key.startswith("case_resp_kind_")).set_value("handling")
    at.button(key="case_respond").click().run()
    no_exception(at)
    with read_session() as s:
        assert s.get(Case, case.id).first_handling_at is not None  # a complete answer handles a question
        [response] = [e for e in case_timeline(s, case.id) if e.action == "responded"]
    assert response.response_kind == "handling"
    at.selectbox(key=f"case_kind_response_{case.id}").set_value(response.id)
    at.selectbox(key=f"case_kind_value_{case.id}").set_value("acknowledgement")
    at.button(key="case_kind_save").click().run()
    no_exception(at)
    assert shown(at, "Jenis tanggapan disimpan.")
    with read_session() as s:
        saved = s.get(Case, case.id)
        actions = [e.action for e in case_timeline(s, case.id)]
    assert saved.first_handling_at is None and saved.first_response_at is not None
    assert actions[-1] == "response_kind_changed"
    timeline = at.dataframe[-1].value
    assert f"#{response.id}: Penanganan → Pengakuan" in list(timeline["Keterangan"])


def test_cli_respond_kind_and_kind_change_are_audited(visited_late):
    _, case = visited_late
    runner = CliRunner()
    with read_session() as s:
        reply = next(e for e in case_timeline(s, case.id) if e.action == "responded")
    result = runner.invoke(cli, ["case", "kind", str(case.id), "--response", str(reply.id), "--kind", "handling",
                                 "--as", "ani"])
    assert result.exit_code == 0, result.output
    with read_session() as s:
        saved = s.get(Case, case.id)
        change = [e for e in case_timeline(s, case.id) if e.action == "response_kind_changed"]
    assert saved.first_handling_at == OPENED + timedelta(minutes=2) and saved.handling_met == 1
    assert [(e.actor_label, e.new_value["kind"]) for e in change] == [("ani", "handling")]
    bad = runner.invoke(cli, ["case", "respond", str(case.id), "--text", "x", "--channel", "phone", "--kind", "done",
                              "--as", "ani"])
    assert bad.exit_code != 0 and "unknown response kind 'done'" in bad.output


def test_queues_sort_by_the_handling_clock_and_mark_the_acknowledgement(app, make_user, make_case, visited_late):
    staff, _ = visited_late
    # Opened earlier and acknowledged at once, yet not handled: its handling due time comes
    # first, so it leads both queues; the acknowledgement only changes its small mark.
    acknowledged = make_case("jalan ambles", created_at=OPENED + timedelta(hours=2), category="infrastruktur",
                             urgency="sedang")
    waiting = make_case("lampu mati", created_at=OPENED + timedelta(hours=3), category="infrastruktur",
                        urgency="sedang")
    for case in (acknowledged, waiting):
        case_service.assign(staff, case.id, None, agency_code="PUBM")
    case_service.respond(staff, acknowledged.id, None, text="Diteruskan ke UPT PU", channel="whatsapp",
                         happened_at=OPENED + timedelta(hours=2, minutes=5))
    for page, setup in (("console/triage.py", None), ("console/agency.py", "PUBM")):
        at = app(staff, page)
        if setup:
            at.selectbox(key="agency_code").set_value(setup).run()
        no_exception(at)
        frame = at.dataframe[0].value
        rows = {int(r["No."]): (r["SLA"], r["Diakui"]) for _, r in frame.iterrows()}
        order = [int(i) for i in frame["No."]]
        assert order.index(acknowledged.id) < order.index(waiting.id), page
        assert rows[acknowledged.id] == ("🔴 Terlambat · -4j 00m", "✅ Diakui tepat waktu")
        assert rows[waiting.id] == ("🔴 Terlambat · -3j 00m", "🔴 Belum diakui, lewat target")
