"""Insiden: bursts of reports of one kind from one kecamatan (a flood, a fire), grouped as
one incident each, with links to their cases."""

import pandas as pd
import streamlit as st

from console import session, ui
from console.i18n import t
from console.services import incidents
from console.services.errors import ServiceError

principal = session.require()
st.title(t("page.incidents"))
st.caption(t("incidents.caption"))
try:
    rows = incidents.list_incidents(principal)
except ServiceError as exc:
    ui.show_error(exc)
    st.stop()
if not rows:
    st.info(t("incidents.none"))
    st.stop()
st.dataframe(pd.DataFrame([{
    "#": r.id, t("incidents.category"): ui.tag_label(r.category), t("incidents.kecamatan"): r.kecamatan,
    t("incidents.first"): ui.when(r.first_at), t("incidents.last"): ui.when(r.last_at),
    t("incidents.cases"): len(r.case_ids), t("incidents.case_list"): ", ".join(f"#{c}" for c in r.case_ids),
} for r in rows]), hide_index=True, width="stretch")
