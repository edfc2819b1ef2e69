"""Ekspor: cases (one row per case) or the statistics tables, as CSV or XLSX, with the
page's filters. The file is generated into a private temporary file on the server (mode
0600 in a 0700 folder; streamed, so a million cases never sit in memory as rows) and then
offered as a single-use link that streams it and deletes it (console/downloads.py):
st.download_button would read the whole file into memory."""

import tempfile
import time
from datetime import timedelta
from pathlib import Path

import streamlit as st

from console import downloads, session, ui
from console.i18n import current_language, t
from console.services import export as export_service
from console.services import export_files, labels
from console.services.errors import ServiceError
from store.vocabulary import CASE_STATUSES, PLATFORMS

EXPORT_DIR = Path(tempfile.gettempdir()) / "tanggap-ekspor"
KEEP_FILES = timedelta(hours=1)
FILE_KEY = "export_file"
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

# This page's own strings (the shared ones come from console.i18n).
TEXT = {
    "id": {
        "what": "Yang diekspor", "what.cases": "Kasus (satu baris per kasus)", "what.stats": "Tabel statistik",
        "format": "Format", "make": "Buat file", "making": "Menyiapkan file…",
        "format_help": "Untuk dibuka di Excel pilih XLSX: CSV memakai koma sebagai pemisah dan titik sebagai "
                       "desimal, sedangkan Excel berbahasa Indonesia mengharapkan titik koma dan koma.",
        "ready": "{rows} baris siap diunduh.", "download": "Unduh {name}",
        "once": "Tautan ini berlaku untuk satu kali unduh dalam satu jam; file dihapus dari server setelah diunduh.",
        "agency_fixed": "Hanya kasus dinas Anda yang diekspor.",
        "stats_filters": "Statistik memakai rentang tanggal dan dinas; filter lain hanya untuk ekspor kasus.",
        "note": "Semua waktu dalam WIB, durasi dalam menit. Nomor telepon disamarkan kecuali untuk admin. "
                "Di CSV, sel yang diawali =, +, -, @ diberi tanda kutip agar tidak dijalankan sebagai rumus; "
                "di XLSX teks disimpan sebagai sel teks, yang tidak pernah dijalankan.",
    },
    "en": {
        "what": "Export", "what.cases": "Cases (one row per case)", "what.stats": "Statistics tables",
        "format": "Format", "make": "Create file", "making": "Preparing the file…",
        "format_help": "To open in Excel choose XLSX: CSV uses a comma as separator and a point as decimal, "
                       "while Excel with Indonesian regional settings expects a semicolon and a comma.",
        "ready": "{rows} rows ready to download.", "download": "Download {name}",
        "once": "This link works for one download within an hour; the file is deleted from the server once "
                "downloaded.",
        "agency_fixed": "Only your agency's cases are exported.",
        "stats_filters": "Statistics use the date range and agency; the other filters apply to case exports only.",
        "note": "All times in WIB, durations in minutes. Phone numbers are masked except for admins. "
                "In CSV, cells starting with =, +, -, @ get a leading quote so they never run as formulas; "
                "in XLSX text is stored as text cells, which never run.",
    },
}


def tx(key: str, **fields) -> str:
    text = TEXT.get(current_language(), TEXT["id"])[key]
    return text.format(**fields) if fields else text


def sweep_old_files() -> None:
    """Files of sessions that ended (nobody downloaded or came back) go after an hour."""
    cutoff = time.time() - KEEP_FILES.total_seconds()
    for old in EXPORT_DIR.glob("*.part") if EXPORT_DIR.is_dir() else ():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def forget_file() -> None:
    previous = st.session_state.pop(FILE_KEY, None)
    if previous:
        downloads.withdraw(previous["link"])
        Path(previous["path"]).unlink(missing_ok=True)


principal = session.require()
st.title(t("page.export"))
start, end, agency = ui.period_and_agency(principal, "export", fixed_help=tx("agency_fixed"))

what = st.radio(tx("what"), export_service.WHATS, key="export_what", horizontal=True,
                format_func=lambda w: tx(f"what.{w}"))
stats_chosen = what != "cases"
cols = st.columns(4)
everything = {"placeholder": t("common.all"), "disabled": stats_chosen}
categories = cols[0].multiselect(t("filter.category"), labels.categories(), key="export_category",
                                 format_func=ui.tag_label, **everything)
urgencies = cols[1].multiselect(t("filter.urgency"), labels.urgencies(), key="export_urgency",
                                format_func=ui.tag_label, **everything)
platforms = cols[2].multiselect(t("filter.platform"), PLATFORMS, key="export_platform",
                                format_func=lambda p: t(f"platform.{p}"), **everything)
statuses = cols[3].multiselect(t("filter.status"), CASE_STATUSES, key="export_status",
                               format_func=lambda s: t(f"status.{s}"), **everything)
if stats_chosen:
    st.caption(tx("stats_filters"))
fmt = st.radio(tx("format"), export_service.FORMATS, key="export_format", horizontal=True,
               format_func=str.upper, help=tx("format_help"))
st.caption(tx("note"))

if start > end:
    st.error(t("stats.bad_range"))
    st.stop()

# A generated file belongs to the choices it was made with; changing any of them drops it.
choices = (what, fmt, start, end, agency, tuple(categories), tuple(urgencies), tuple(platforms), tuple(statuses))
current = st.session_state.get(FILE_KEY)
if current and current["choices"] != choices:
    forget_file()

if st.button(tx("make"), key="export_make", type="primary", icon=":material/description:"):
    forget_file()
    try:
        sweep_old_files()
        path = export_files.new_private_file(export_files.private_folder(EXPORT_DIR), suffix=".part")
    except ServiceError as exc:
        ui.show_error(exc)
        st.stop()
    try:
        with st.spinner(tx("making")), path.open("r+b") as out:
            if what == "cases":
                flt = export_service.case_filter(start, end, agency, categories, urgencies, platforms, statuses)
                result = export_service.export_cases(principal, flt, fmt, out)
            else:
                result = export_service.export_stats(principal, fmt, out, start=start, end=end, agency=agency,
                                                     lang=current_language())
    except ServiceError as exc:
        path.unlink(missing_ok=True)
        ui.show_error(exc)
        st.stop()
    name = export_service.suggested_filename(what, fmt)
    st.session_state[FILE_KEY] = {"path": str(path), "rows": result.rows, "choices": choices, "name": name,
                                  "link": downloads.offer(path, name, MIME[fmt])}

ready = st.session_state.get(FILE_KEY)
if ready and Path(ready["path"]).is_file():  # gone once downloaded
    st.success(tx("ready", rows=ready["rows"]))
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    st.link_button(tx("download", name=ready["name"]), ("/" + base if base else "") + ready["link"],
                   key="export_download", icon=":material/download:")
    st.caption(tx("once"))
