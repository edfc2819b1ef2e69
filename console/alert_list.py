"""The sidebar's alert list: a badge with the unread count, the latest alerts addressed to
the user, and a toast for each new ``kritis`` alert while the page is open (refreshed every
30 seconds). The texts are shown as plain text: they quote what citizens wrote."""

from __future__ import annotations

import streamlit as st

from console import session, ui
from console.i18n import t
from console.services import alert_inbox

TOASTED = "alerts_toasted"  # alert ids this browser session has toasted already
SHOWN = 20


@st.fragment(run_every=30)
def alert_list(principal) -> None:
    session.guard_fragment()
    unread = alert_inbox.unread_count(principal)
    items = alert_inbox.my_alerts(principal, limit=SHOWN)
    toasted = st.session_state.setdefault(TOASTED, set())
    for item in items:
        if item.urgency == "kritis" and not item.read and item.id not in toasted:
            st.toast(t("alerts.toast", case=item.case_id), icon=":material/emergency:")
            toasted.add(item.id)
    label = t("alerts.badge", n=unread) if unread else t("alerts.title")
    with st.expander(label, icon=":material/notifications:", expanded=False):
        if not items:
            st.caption(t("alerts.none"))
        for item in items:
            st.markdown(f"{'**' if not item.read else ''}{ui.when(item.created_at)}{'**' if not item.read else ''}")
            st.text(item.text)
        if unread:
            # A callback: it runs before the rerun it causes, so the badge shows the new count.
            st.button(t("alerts.mark_read"), key="alerts_mark_read", on_click=alert_inbox.mark_read, args=(principal,))


def render(principal) -> None:
    with st.sidebar:
        alert_list(principal)
