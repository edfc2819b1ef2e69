"""Kotak Masuk: open cases for the communications team, unassigned first, then by urgency
and due time. Filters live in st.session_state (triage_*), so the 30-second refresh and
paging keep them, as well as the cases selected for closing."""

import streamlit as st

from console import session, ui
from console.i18n import current_language, t
from console.services import cases, labels, reference
from console.services.auth import Principal
from console.services.errors import ServiceError
from store.queries import CaseFilter
from store.types import utcnow
from store.vocabulary import CASE_STATUSES, PLATFORMS

principal = session.require()
pager = ui.KeysetPager("triage_cursors")
SELECTED = "triage_selected"  # + "_<serial>": the bulk-close selection
SELECTION_SERIAL = "triage_selection_serial"
kecamatan_names = {k.code: k.name for k in reference.kecamatan()}

st.title(t("page.triage"))
st.caption(t("triage.caption"))

cols = st.columns([1, 1.3, 1, 1.3, 1, 1.6])
platforms = cols[0].multiselect(t("filter.platform"), PLATFORMS, format_func=lambda p: t(f"platform.{p}"),
                                placeholder=t("common.all"), key="triage_platform", on_change=pager.restart)
categories = cols[1].multiselect(t("filter.category"), labels.categories(), format_func=ui.tag_label,
                                 placeholder=t("common.all"), key="triage_category", on_change=pager.restart)
urgencies = cols[2].multiselect(t("filter.urgency"), labels.urgencies(), format_func=ui.tag_label,
                                placeholder=t("common.all"), key="triage_urgency", on_change=pager.restart)
kecamatan = cols[3].multiselect(t("filter.kecamatan"), list(kecamatan_names), format_func=kecamatan_names.get,
                                placeholder=t("common.all"), key="triage_kecamatan", on_change=pager.restart)
statuses = cols[4].multiselect(t("filter.status"), CASE_STATUSES, format_func=lambda s: t(f"status.{s}"),
                               placeholder=t("common.all"), key="triage_status", on_change=pager.restart)
search = cols[5].text_input(t("filter.search"), key="triage_search", on_change=pager.restart)

flt = CaseFilter(platforms=tuple(platforms), categories=tuple(categories), urgencies=tuple(urgencies),
                 kecamatan=tuple(kecamatan), statuses=tuple(statuses), text=search.strip() or None)


@st.fragment(run_every=30)
def queue(principal: Principal, flt: CaseFilter) -> None:
    session.guard_fragment()
    now = utcnow()
    try:
        page = cases.triage(principal, flt, after=pager.cursors[-1])
    except ServiceError as exc:
        ui.show_error(exc)
        return
    st.caption(t("triage.updated", time=ui.when(now)))
    ui.show_queue(ui.queue_frame(principal, page, now, kecamatan_names))

    pager.buttons(page.next_cursor, "triage")
    if not page.rows:
        return

    ids = [case.id for case in page.rows]
    left, right = st.columns(2)
    with left:
        chosen = st.selectbox(t("triage.open_case"), ids, format_func=lambda i: f"#{i}", key="triage_open_id")
        if st.button(t("common.open"), key="triage_open", icon=":material/open_in_new:"):
            st.switch_page("console/case.py", query_params={"case": str(chosen)})
    if cases.can_manage(principal):
        with right:
            # Keep earlier choices selectable after a refresh moved them off this page.
            key = f"{SELECTED}_{st.session_state.get(SELECTION_SERIAL, 0)}"
            selected = [i for i in st.session_state.get(key, []) if i not in ids]
            picked = st.multiselect(t("triage.select"), ids + selected, format_func=lambda i: f"#{i}", key=key,
                                    placeholder=t("common.choose"))
            # Keyed by language: the default reason follows a language switch.
            note = st.text_input(t("triage.bulk_note"), value=t("triage.bulk_note_default"),
                                 key=f"triage_note_{current_language()}")
            if st.button(t("triage.bulk_close"), key="triage_bulk_close", disabled=not picked,
                         icon=":material/done_all:"):
                try:
                    result = cases.bulk_close(principal, picked, note)
                except ServiceError as exc:
                    ui.show_error(exc)
                    return
                session.flash("success", t("triage.closed", n=len(result.closed)))
                for case_id, exc in result.failed.items():
                    session.flash("warning", t("triage.close_failed", id=case_id, message=ui.explain(exc)))
                # A new key, not a deleted one: the browser keeps what a widget with the same key shows.
                st.session_state[SELECTION_SERIAL] = st.session_state.get(SELECTION_SERIAL, 0) + 1
                st.rerun()


queue(principal, flt)
