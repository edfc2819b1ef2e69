"""Antrian Dinas: one agency's cases (lead or supporting unit), the most overdue first.
An agency head sees only their own agency; admin, komunikasi and viewers pick one."""

import streamlit as st

from console import session, ui
from console.i18n import t
from console.services import cases, policy, reference
from console.services.errors import ServiceError
from store.queries import CaseFilter
from store.types import utcnow
from store.vocabulary import CASE_STATUSES

principal = session.require()
pager = ui.KeysetPager("agency_cursors")
kecamatan_names = {k.code: k.name for k in reference.kecamatan()}
agency_names = {a.code: f"{a.code} · {a.name}" for a in reference.agencies()}

st.title(t("page.agency"))
st.caption(t("agency.caption"))

cols = st.columns([2, 2])
fixed = policy.list_scope(principal).agency  # an agency user's own agency, not a choice
if fixed is not None:
    agency = fixed
    cols[0].subheader(agency_names.get(agency, agency))
else:
    agency = cols[0].selectbox(t("agency.pick"), [None, *agency_names], format_func=lambda c: agency_names.get(c, "—"),
                               key="agency_code", on_change=pager.restart)
statuses = cols[1].multiselect(t("filter.status"), CASE_STATUSES, format_func=lambda s: t(f"status.{s}"),
                               placeholder=t("common.all"), key="agency_status", on_change=pager.restart)
if not agency:
    st.info(t("agency.choose"))
    st.stop()

now = utcnow()
try:
    page = cases.agency_queue(principal, agency, CaseFilter(statuses=tuple(statuses)), after=pager.cursors[-1])
except ServiceError as exc:
    ui.show_error(exc)
    st.stop()

ui.show_queue(ui.queue_frame(principal, page, now, kecamatan_names))
pager.buttons(page.next_cursor, "agency")

if page.rows:
    chosen = st.selectbox(t("triage.open_case"), [c.id for c in page.rows], format_func=lambda i: f"#{i}",
                          key="agency_open_id")
    if st.button(t("common.open"), key="agency_open", icon=":material/open_in_new:"):
        st.switch_page("console/case.py", query_params={"case": str(chosen)})
