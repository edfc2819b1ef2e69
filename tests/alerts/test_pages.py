"""The Admin page's contacts, roster and alert tabs, and each user's alert list in the
sidebar (badge, toast for a new kritis case, mark as read)."""

from __future__ import annotations

import pytest

from store.alert_rules import DEFAULTS
from tests.alerts.test_rules import REPORT, SUNDAY_1845_WIB
from tests.console.conftest import no_exception, shown

pytestmark = pytest.mark.time_machine(SUNDAY_1845_WIB, tick=False)
PAGE = "console/admin.py"


def test_every_rule_has_a_name_in_both_languages():
    from console.i18n import EN, ID
    assert all(f"rules.{name}" in ID and f"rules.{name}" in EN for name in DEFAULTS)


def test_the_admin_page_warns_of_hours_nobody_is_on_duty(app, on_duty):
    at = app(on_duty["admin"], PAGE)
    no_exception(at)
    # Ani works weekdays 08:00–16:00 and Budi every evening: the weekend days are empty.
    assert shown(at, "Tidak ada yang piket di tim KOMUNIKASI: Sabtu 08:00 sampai Sabtu 16:00 WIB.")
    assert shown(at, "Tidak ada yang piket di tim KOMUNIKASI: Minggu 08:00 sampai Minggu 16:00 WIB.")
    # DINKES has a roster (pkdinkes, all of Sunday), so the rest of its week is warned too.
    assert shown(at, "Tidak ada yang piket di tim DINKES: Senin 00:00 sampai Minggu 00:00 WIB.")
    assert not shown(at, "tim PUBM")  # an agency without a roster: its alerts go to its head


def test_an_admin_adds_a_shift_and_sets_contacts_on_the_page(app, on_duty):
    at = app(on_duty["admin"], PAGE)
    at.selectbox(key="admin_roster_team").set_value("KOMUNIKASI")
    at.selectbox(key="admin_roster_user").set_value("ani")
    at.selectbox(key="admin_roster_day").set_value(5)
    at.text_input(key="admin_roster_start").input("08:00")
    at.text_input(key="admin_roster_end").input("16:00")
    at.button(key="admin_roster_add_button").click().run()
    no_exception(at)
    assert not shown(at, "Sabtu 08:00 sampai Sabtu 16:00")
    at.selectbox(key="admin_contact_user").set_value("ani").run()
    at.text_input(key="admin_contact_mobile_ani").input("0812 9999 8888")
    at.multiselect(key="admin_contact_channels_ani").set_value(["sms"])
    at.button(key="admin_contact_save").click().run()
    no_exception(at)
    from console.services import people
    assert people.contacts(on_duty["admin"], "ani").mobile == "+6281299998888"


def test_the_sidebar_shows_a_badge_and_toasts_a_new_kritis_case(app, on_duty, make_case):
    case = make_case(REPORT, category="kesehatan", urgency="kritis")
    at = app(on_duty["budi"], "console/triage.py")
    no_exception(at)
    assert [e.label for e in at.expander if "Peringatan" in e.label] == ["Peringatan (1 baru)"]
    assert shown(at, f"Kasus #{case.id} · Kesehatan · urgensi Kritis")
    # A new kritis case while the page is open: one toast, for that case only.
    second = make_case("banjir masuk rumah, warga terjebak", category="bencana", urgency="kritis")
    at.run()
    assert [t.value for t in at.toast] == [f"Kasus KRITIS baru #{second.id}: lihat daftar peringatan."]
    at.run()
    assert list(at.toast) == []
    assert not shown(at, "0812-3333-4444")
    at.button(key="alerts_mark_read").click().run()
    assert [e.label for e in at.expander if "Peringatan" in e.label] == ["Peringatan"]
