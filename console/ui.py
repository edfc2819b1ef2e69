"""Small pieces several pages share: times in WIB, labels, SLA badges, error messages and
the case-queue table. No permissions here; those are in console.services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from console import render, session
from console.display import format_local, format_remaining
from console.i18n import ID, current_language, t
from console.services import labels, policy, privacy, replies
from console.services.auth import Principal
from console.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from store.queries import Page
from store.settings import get_settings
from store.sla import Clock, SlaState, clocks

SLA_ICON = {SlaState.ON_TRACK: "🟢", SlaState.AT_RISK: "🟠", SlaState.BREACHED: "🔴",
            SlaState.MET: "✅", SlaState.MISSED: "⚠️"}
SLA_COLOUR = {SlaState.ON_TRACK: "#d8f3dc", SlaState.AT_RISK: "#ffe8cc", SlaState.BREACHED: "#ffd6d6",
              SlaState.MET: "#eef6ee", SlaState.MISSED: "#fff1e6"}


def when(value: datetime | None) -> str:
    return format_local(value, get_settings().zone) or t("common.none")


def tag_label(label_id: str | None) -> str:
    return labels.label(label_id, current_language())


def confidence(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def clock_text(clock: Clock, is_open: bool, now: datetime) -> str:
    """'🟠 Hampir lewat · 0j 40m' (time left, or overdue with a minus)."""
    text = f"{SLA_ICON[clock.state]} {t('sla.' + clock.state.value)}"
    if clock.running and is_open:
        text += f" · {format_remaining(clock.due_at - now, t('common.hour_mark'))}"
    return text


def sla_text(case, now: datetime) -> str:
    """The handling clock (the SOP's), as queues and the case page show it."""
    return clock_text(clocks(case, now).handling, case.is_open, now)


def ack_mark(case, now: datetime) -> str:
    """The acknowledgement clock as a small mark beside the handling clock: '✅ Diakui'."""
    state = clocks(case, now).acknowledgement.state
    return f"{SLA_ICON[state]} {t('ack.' + state.value)}"


def show_error(exc: ServiceError) -> None:
    if isinstance(exc, Conflict):
        st.warning(explain(exc))
    else:
        st.error(explain(exc))


def run_action(action: Callable[[], Any], done_message: str,
               after: Callable[[Any], None] | None = None,
               on_conflict: Callable[[Conflict], None] | None = None) -> None:
    """What a button does with a service call: a refusal is shown where the button is;
    success calls ``after`` with the call's result, flashes ``done_message`` and reruns the
    page. A page that handles a Conflict itself (the case page offers a reload) passes
    ``on_conflict``, after which the page reruns."""
    try:
        result = action()
    except Conflict as exc:
        if on_conflict is None:
            show_error(exc)
            return
        on_conflict(exc)
        st.rerun()
    except ServiceError as exc:
        show_error(exc)
        return
    if after:
        after(result)
    session.flash("success", done_message)
    st.rerun()


def explain(exc: ServiceError) -> str:
    """A service error as staff should read it: in their language, times in WIB, statuses by
    their names. Not-found and permission errors get one fixed message each, so nothing about
    other agencies' cases leaks. An error without a code (input the forms cannot produce)
    keeps its English message."""
    if isinstance(exc, NotFound):
        return t("err.not_found")
    if isinstance(exc, Conflict):
        return t("case.conflict", who=exc.changed_by, when=when(exc.changed_at))
    if isinstance(exc, PermissionDenied):
        return t("err.denied")
    if not exc.code or f"err.{exc.code}" not in ID:
        return t("err.failed", message=str(exc))
    fields = {name: when(value) if isinstance(value, datetime)
              else t(f"status.{value}") if name == "status" else value
              for name, value in exc.fields.items()}
    return t(f"err.{exc.code}", **fields)


def queue_frame(principal: Principal, page: Page, now: datetime, kecamatan_names: dict[str, str]) -> pd.DataFrame:
    """The rows of a case queue as plain-text cells (untrusted text stays plain in a grid)."""
    rows = []
    failed_replies = replies.failed_reply_cases([case.id for case in page.rows])
    for case in page.rows:
        facts = privacy.row_facts(case)
        rows.append({  # what decides the order of work first: the clock, the urgency, the report
            t("col.id"): case.id,
            t("col.sla"): sla_text(case, now),
            t("col.ack"): ack_mark(case, now),
            t("col.urgency"): f"{tag_label(case.urgency)} {confidence(case.urgency_confidence)}".strip(),
            t("col.category"): f"{tag_label(case.category)} {confidence(case.category_confidence)}".strip(),
            t("col.text"): render.excerpt(privacy.text_for(principal, facts, case.summary)),
            t("col.author"): render.excerpt(privacy.author_for(principal, facts, case.author), 40),
            t("col.platform"): t(f"platform.{case.platform}"),
            t("col.kecamatan"): kecamatan_names.get(case.kecamatan_code or "", ""),
            t("col.agency"): case.lead_agency_code or "",
            t("col.status"): t(f"status.{case.status}") + (f" · {t('reply.failed_mark')}"
                                                           if case.id in failed_replies else ""),
            t("col.due"): when(case.due_at),
            "_sla": clocks(case, now).handling.state.value,
        })
    return pd.DataFrame(rows)


def show_queue(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("common.no_rows"))
        return
    states = frame.pop("_sla")
    sla_col = t("col.sla")

    def colour(column: pd.Series) -> list[str]:
        if column.name != sla_col:
            return [""] * len(column)
        return [f"background-color: {SLA_COLOUR[SlaState(s)]}" for s in states]

    # The report gets the room; the SLA column stays in view without scrolling sideways.
    widths = {t("col.text"): st.column_config.TextColumn(width="large"),
              t("col.sla"): st.column_config.TextColumn(width="medium"),
              t("col.ack"): st.column_config.TextColumn(width="small"),
              t("col.id"): st.column_config.NumberColumn(width="small")}
    st.dataframe(frame.style.apply(colour), hide_index=True, width="stretch", column_config=widths)


class KeysetPager:
    """Keyset paging state of one page, kept in st.session_state under ``key``: the start
    cursor of each page seen so far (the last is the current page), so "previous" works
    without offsets and a refresh keeps the user on their page."""

    def __init__(self, key: str):
        self.key = key
        st.session_state.setdefault(key, [None])

    @property
    def cursors(self) -> list:
        return st.session_state[self.key]

    def restart(self) -> None:
        st.session_state[self.key] = [None]

    def next(self, cursor: tuple) -> None:
        st.session_state[self.key].append(cursor)

    def previous(self) -> None:
        if len(st.session_state[self.key]) > 1:
            st.session_state[self.key].pop()


    def buttons(self, next_cursor: tuple | None, key_prefix: str) -> None:
        """Previous / next buttons and the page number under a queue."""
        nav = st.columns([1, 1, 4])
        nav[0].button(t("common.prev"), key=f"{key_prefix}_prev", on_click=self.previous,
                      disabled=len(self.cursors) == 1, icon=":material/chevron_left:")
        nav[1].button(t("common.next"), key=f"{key_prefix}_next", on_click=self.next, args=(next_cursor,),
                      disabled=next_cursor is None, icon=":material/chevron_right:")
        nav[2].caption(t("common.page", n=len(self.cursors)))


def period_and_agency(principal: Principal, prefix: str, fixed_help: str | None = None):
    """The date range (WIB days, default the last 30) and agency pickers shared by Statistik
    and Ekspor. An agency head's agency is fixed: shown, not choosable."""
    from datetime import timedelta

    from console.services import reference
    from store.types import utcnow
    today = utcnow().astimezone(get_settings().zone).date()
    cols = st.columns(3)
    start = cols[0].date_input(t("stats.from"), value=today - timedelta(days=29), key=f"{prefix}_from",
                               format="DD/MM/YYYY")
    end = cols[1].date_input(t("stats.to"), value=today, key=f"{prefix}_to", format="DD/MM/YYYY")
    fixed = policy.list_scope(principal, policy.Action.STATS).agency
    if fixed is not None:
        agency = fixed
        cols[2].text_input(t("stats.agency"), value=agency, disabled=True, key=f"{prefix}_agency_fixed",
                           help=fixed_help)
    else:
        names = {a.code: f"{a.code} · {a.name}" for a in reference.agencies()}
        agency = cols[2].selectbox(t("stats.agency"), [None, *names], key=f"{prefix}_agency",
                                   format_func=lambda c: names.get(c, t("common.all")))
    return start, end, agency
