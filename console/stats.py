"""Statistik: both clocks — share handled within target (the SOP's), share acknowledged within
target, median and p90 of each, breaches; the agency league table (ranked by handling); by
category, platform and urgency; weekly trend; hour × weekday."""

import altair as alt
import pandas as pd
import streamlit as st

from console import session, ui
from console.i18n import t
from console.services import stats as stats_service
from console.services.errors import ServiceError

principal = session.require()
st.title(t("page.stats"))
start, end, agency = ui.period_and_agency(principal, "stats")
if start > end:
    st.error(t("stats.bad_range"))
    st.stop()


def minutes(value: int | None) -> str:
    return t("stats.minutes", n=value) if value is not None else "—"


def table(rows, group_label) -> pd.DataFrame:
    return pd.DataFrame([{
        t("stats.col.group"): group_label(r.group),
        t("stats.col.cases"): r.cases,
        t("stats.col.handled"): r.handled,
        t("stats.col.pct"): r.pct_within_target,
        t("stats.col.median"): r.median_minutes,
        t("stats.col.p90"): r.p90_minutes,
        t("stats.col.breaches"): r.breaches,
        t("stats.col.ack_pct"): r.pct_acknowledged_within_target,
        t("stats.col.ack_median"): r.ack_median_minutes,
        t("stats.col.ack_p90"): r.ack_p90_minutes,
    } for r in rows])


def pct(value: float | None) -> str:
    return f"{value:.1f}%" if value is not None else "—"


def load(read):
    """Each section is read just before it is drawn, so over a long range the figures at the
    top show while the weekly trend and the heat map are still being counted."""
    try:
        with st.spinner(t("stats.counting")):
            return read()
    except ServiceError as exc:
        ui.show_error(exc)
        st.stop()


grouped = load(lambda: stats_service.response_tables(principal, ("agency", "category", "platform", "urgency"),
                                                     start, end, agency=agency))
overall = grouped[None]
total = overall[0] if overall else None
m = st.columns(5)
m[0].metric(t("stats.within"), pct(total.pct_within_target if total else None))
m[1].metric(t("stats.median"), minutes(total.median_minutes if total else None))
m[2].metric(t("stats.p90"), minutes(total.p90_minutes if total else None))
m[3].metric(t("stats.breaches"), total.breaches if total else 0)
m[4].metric(t("stats.cases"), total.cases if total else 0)
a = st.columns(5)
a[0].metric(t("stats.ack_within"), pct(total.pct_acknowledged_within_target if total else None))
a[1].metric(t("stats.ack_median"), minutes(total.ack_median_minutes if total else None))
a[2].metric(t("stats.ack_p90"), minutes(total.ack_p90_minutes if total else None))

st.subheader(t("stats.league"))
league = sorted(grouped["agency"], key=lambda r: (r.pct_within_target is None, -(r.pct_within_target or 0),
                                                  r.median_minutes if r.median_minutes is not None else 10**9))
st.dataframe(table(league, lambda g: g or t("common.none")), hide_index=True, width="stretch")

tabs = st.tabs([t("stats.by_category"), t("stats.by_platform"), t("stats.by_urgency")])
with tabs[0]:
    st.dataframe(table(grouped["category"], ui.tag_label), hide_index=True, width="stretch")
with tabs[1]:
    st.dataframe(table(grouped["platform"], lambda p: t(f"platform.{p}")), hide_index=True, width="stretch")
with tabs[2]:
    st.dataframe(table(grouped["urgency"], ui.tag_label), hide_index=True, width="stretch")

st.subheader(t("stats.trend"))
weeks = load(lambda: stats_service.response_stats(principal, start, end, group_by="week", agency=agency))
weekly = pd.DataFrame([{"week": r.group, "pct": r.pct_within_target, "cases": r.cases} for r in weeks])
if not weekly.empty:
    base = alt.Chart(weekly).encode(x=alt.X("week:O", title=t("stats.col.week")))
    bars = base.mark_bar(opacity=0.3).encode(y=alt.Y("cases:Q", title=t("stats.col.cases")))
    line = base.mark_line(point=True, color="#1b7f3b").encode(
        y=alt.Y("pct:Q", title=t("stats.col.pct"), scale=alt.Scale(domain=[0, 100])))
    st.altair_chart(alt.layer(bars, line).resolve_scale(y="independent"), width="stretch")

st.subheader(t("stats.heatmap"))
heat = load(lambda: stats_service.heatmap(principal, start, end, agency=agency))
days = [t(f"weekday.{d}") for d in range(7)]
cells = pd.DataFrame([{"weekday": days[w], "hour": h, "cases": n} for w, h, n in heat],
                     columns=["weekday", "hour", "cases"])
if not cells.empty:
    st.altair_chart(alt.Chart(cells).mark_rect().encode(
        x=alt.X("hour:O", title=t("stats.col.hour"), scale=alt.Scale(domain=list(range(24)))),
        y=alt.Y("weekday:O", title=t("stats.col.weekday"), sort=days, scale=alt.Scale(domain=days)),
        color=alt.Color("cases:Q", title=t("stats.col.cases"), scale=alt.Scale(scheme="oranges")),
        tooltip=["weekday", "hour", "cases"]), width="stretch")
