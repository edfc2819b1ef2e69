"""The Admin page's import form, as admins and the comms team use it: a dry run shows the
columns and the first rows and stores nothing; the import stores and offers the rejects."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from store.db import read_session
from store.tables import Mention
from tests.console.conftest import no_exception, shown

PAGE = "console/admin.py"
CSV = ("No. Tiket;Tanggal Laporan;Isi Laporan;Kategori\n"
       "LPR-1;29/11/2026 08:00;Jalan berlubang di Genteng;Infrastruktur\n"
       "LPR-2;besok;Lampu mati – gelap sekali;Infrastruktur\n").encode("cp1252")


def stored() -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(Mention)).one()


def test_the_comms_team_checks_then_imports_a_file_and_downloads_the_rejects(app, make_user):
    staff = make_user("kominfo1", "komunikasi")
    at = app(staff, PAGE)
    no_exception(at)
    at.file_uploader(key="admin_import_file").set_value(("lapor.csv", CSV, "text/csv"))
    at.run()
    at.button(key="admin_import_check").click().run()
    no_exception(at)
    assert shown(at, "Uji coba, tidak ada yang disimpan: 2 baris dibaca, 1 sah, 1 ditolak.")
    assert shown(at, "Tanggal Laporan → created_at")
    assert shown(at, "encoding Windows-1252, delimiter ';', dates DD/MM/YYYY")
    assert "Jalan berlubang di Genteng" in at.dataframe[0].value.iloc[0, 0]
    assert stored() == 0
    at.button(key="admin_import_run").click().run()
    no_exception(at)
    assert shown(at, "2 baris dibaca, 1 diimpor, 0 duplikat, 1 ditolak.")
    assert stored() == 1
    assert at.get("download_button")[0].proto.label == "Unduh baris yang ditolak"
    assert not at.tabs  # the comms team sees the import form, none of the admin's tabs


def test_a_refused_file_says_why_in_the_users_language(app, make_user):
    boss = make_user("boss", "admin")
    at = app(boss, PAGE)
    at.file_uploader(key="admin_import_file").set_value(("a.csv", b"teks,waktu\nbanjir,05/11/2026\n", "text/csv"))
    at.run()
    at.button(key="admin_import_check").click().run()
    no_exception(at)
    assert [e.value for e in at.error] == [
        "Berkas tidak dapat diimpor: a.csv: dates such as '05/11/2026' could be day/month or month/day; "
        "say which with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY"]
    at.selectbox(key="admin_import_date_format").set_value("DD/MM/YYYY")
    at.button(key="admin_import_run").click().run()
    assert shown(at, "1 baris dibaca, 1 diimpor, 0 duplikat, 0 ditolak.")


def test_a_viewer_and_an_agency_head_have_no_admin_page_to_import_on(app, make_user):
    for user in (make_user("pemantau", "viewer"), make_user("kadinkes", "kepala_dinas", agency="DINKES")):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app(user, PAGE)
