"""Every UI string exists in both languages, and every key the pages use exists."""

import re
from pathlib import Path

from console.i18n import EN, ID, t

CONSOLE = Path(__file__).resolve().parents[2] / "console"
KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_both_languages_have_the_same_keys():
    assert set(ID) == set(EN)


def test_every_literal_key_used_by_the_console_exists():
    used = set()
    for path in [*CONSOLE.glob("*.py"), CONSOLE.parent / "streamlit_app.py"]:
        used |= set(KEY.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no keys; the test would pass vacuously"
    assert sorted(used - set(ID)) == []


def test_dynamic_keys_for_statuses_roles_channels_and_platforms_exist():
    from store.sla import SlaState
    from store.vocabulary import CASE_STATUSES, PLATFORMS, RESPONSE_CHANNELS, ROLES
    for prefix, values in (("status", CASE_STATUSES), ("platform", PLATFORMS), ("channel", RESPONSE_CHANNELS),
                           ("role", ROLES), ("sla", [s.value for s in SlaState])):
        for value in values:
            assert f"{prefix}.{value}" in ID, f"{prefix}.{value}"


def test_indonesian_is_the_default_and_fields_are_filled():
    assert t("page.triage") == "Kotak Masuk"
    assert t("page.triage", lang="en") == "Inbox"
    assert t("triage.closed", n=3) == "3 kasus ditutup."


ROOT = CONSOLE.parent
# ServiceError / CaseError / UserError / ResponseTimeError("English message", "code", …)
CODED = re.compile(r"""Error\(\s*(?:f?"(?:[^"\\]|\\.)*"\s*)+,\s*"([a-z_]+)\"""")


def test_every_error_code_raised_has_words_in_both_languages():
    codes = set()
    for folder in ("store", "console"):
        for path in (ROOT / folder).rglob("*.py"):
            codes |= set(CODED.findall(path.read_text(encoding="utf-8")))
    assert len(codes) >= 15, f"the pattern found only {sorted(codes)}; the test would pass vacuously"
    assert sorted(c for c in codes if f"err.{c}" not in ID) == []


def test_an_error_is_said_in_indonesian_with_wib_times_and_status_names():
    from datetime import UTC, datetime

    from console.services.errors import ServiceError
    from console.ui import explain
    from store.sla import ResponseTimeError, check_response_time

    opened = datetime(2026, 11, 28, 23, 18, 40, tzinfo=UTC)  # 29/11 06:18 WIB
    try:
        check_response_time(datetime(2026, 11, 28, 20, 46, tzinfo=UTC), opened, opened)
    except ResponseTimeError as exc:
        error = ServiceError.of(exc)
    assert "before the case opened" in str(error)  # the CLI and the logs keep the English
    assert explain(error) == ("Waktu tanggapan 29/11/2026 03:46 WIB lebih awal dari kasus masuk "
                              "(29/11/2026 06:18 WIB).")
    already = ServiceError("case 7 is already resolved", "case_already", status="resolved")
    assert explain(already) == "Kasus sudah berstatus Selesai."
    assert explain(ServiceError("unknown format 'pdf'; use csv or xlsx")) == (
        "Tidak dapat diproses: unknown format 'pdf'; use csv or xlsx")
