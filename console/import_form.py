"""The Admin page's import form: the same import as `tanggap import`, dry run first.

Staff upload a file, see how its columns were read and its first ten rows (nothing stored),
then import it; the rejects file is offered for download. Admins and the comms team only
(the service asks the policy; the page only decides what to show).
"""

import pandas as pd
import streamlit as st

from collectors.dates import DATE_FORMATS
from collectors.files import ImportOptions
from console import ui
from console.i18n import t
from console.services import imports
from console.services.errors import ServiceError

RESULT_KEY = "admin_import_result"


def render(principal) -> None:
    upload = st.file_uploader(t("import.file"), type=["xlsx", "csv", "jsonl", "txt"], key="admin_import_file",
                              help=t("import.file_help"))
    left, right = st.columns(2)
    sheet = left.text_input(t("import.sheet"), key="admin_import_sheet")
    date_format = left.selectbox(t("import.date_format"), ["", *DATE_FORMATS], key="admin_import_date_format",
                                 format_func=lambda v: v or t("import.detected"))
    column_map = right.text_input(t("import.map"), key="admin_import_map", placeholder="Isi Laporan=text")
    own = right.text_input(t("import.own"), key="admin_import_own")
    if upload is None:
        st.session_state.pop(RESULT_KEY, None)
        return
    options = dict(sheet=sheet.strip() or None, date_format=date_format or None,
                   column_map=column_map.strip() or None, own=own.strip() or None)
    check, run = st.columns(2)
    if check.button(t("import.dry_run"), key="admin_import_check", icon=":material/preview:"):
        _attempt(principal, upload, ImportOptions(dry_run=True, **options))
    if run.button(t("import.run"), key="admin_import_run", type="primary", icon=":material/upload_file:"):
        _attempt(principal, upload, ImportOptions(**options))
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        _show(*result)


def _attempt(principal, upload, options: ImportOptions) -> None:
    try:
        result = imports.import_upload(principal, upload.name, upload.getvalue(), options)
    except ServiceError as exc:
        st.session_state.pop(RESULT_KEY, None)
        ui.show_error(exc)
        return
    st.session_state[RESULT_KEY] = (result, options.dry_run)


def _show(result: imports.ImportResult, dry_run: bool) -> None:
    report = result.report
    if dry_run:
        st.info(t("import.checked", read=report.read, valid=report.valid, rejected=report.rejected))
        st.caption(t("import.columns", columns="; ".join(report.columns) or "WhatsApp"))
        st.dataframe(pd.DataFrame({t("import.row"): [imports.preview_line(m) for m in report.preview]}),
                     hide_index=True, width="stretch")
    else:
        st.success(t("import.done", read=report.read, imported=report.imported, duplicates=report.duplicates,
                     rejected=report.rejected))
    st.caption(t("import.how", how=report.how_read()))
    if result.rejects_csv:
        st.download_button(t("import.rejects"), data=result.rejects_csv, file_name="ditolak.csv", mime="text/csv",
                           key="admin_import_rejects", icon=":material/download:")
