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
    from store.tables import CASE_STATUSES, PLATFORMS, RESPONSE_CHANNELS, ROLES
    for prefix, values in (("status", CASE_STATUSES), ("platform", PLATFORMS), ("channel", RESPONSE_CHANNELS),
                           ("role", ROLES), ("sla", [s.value for s in SlaState])):
        for value in values:
            assert f"{prefix}.{value}" in ID, f"{prefix}.{value}"


def test_indonesian_is_the_default_and_fields_are_filled():
    assert t("page.triage") == "Kotak Masuk"
    assert t("page.triage", lang="en") == "Inbox"
    assert t("triage.closed", n=3) == "3 kasus ditutup."
