"""The Admin page's alert tabs: contacts and channels of each account, the duty roster
(with a warning for each stretch of the week nobody is on duty), the alert rules, and the
alerts that failed or wait for another try."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from console import ui
from console.i18n import t
from console.services import alert_admin, people
from store.alert_rules import KINDS
from store.contacts import CHOOSABLE
from store.roster import DAY, hhmm
from store.vocabulary import COMMS_TEAM

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def week_time(minute: int) -> str:
    return f"{DAYS[minute // DAY % 7]} {hhmm(minute % DAY)}"


def contacts_tab(principal, usernames: list[str]) -> None:
    picked = st.selectbox(t("login.username"), usernames, key="admin_contact_user")
    if not picked:
        return
    row = people.contacts(principal, picked)
    with st.form(f"admin_contacts_{picked}"):
        c = st.columns(3)
        mobile = c[0].text_input(t("contacts.mobile"), value=row.mobile or "", key=f"admin_contact_mobile_{picked}")
        email = c[1].text_input(t("contacts.email"), value=row.email or "", key=f"admin_contact_email_{picked}")
        chat = c[2].text_input(t("contacts.telegram"), value=row.telegram_chat_id or "",
                               key=f"admin_contact_chat_{picked}")
        channels = st.multiselect(t("contacts.channels"), CHOOSABLE, default=list(row.channels),
                                  key=f"admin_contact_channels_{picked}")
        st.caption(t("contacts.console_always"))
        if st.form_submit_button(t("admin.saved_button"), key="admin_contact_save"):
            ui.run_action(lambda: people.set_contacts(principal, picked, mobile=mobile, email=email,
                                                      telegram_chat_id=chat, channels=channels), t("admin.saved"))


def roster_tab(principal, usernames: list[str]) -> None:
    rosters = people.team_rosters(principal)
    for r in rosters:
        if r.team != COMMS_TEAM and not r.shifts:
            continue  # an agency without a roster yet: its alerts go to its head
        for start, end in r.gaps:
            st.warning(t("roster.gap", team=r.team, start=week_time(start), end=week_time(end)))
    shown = [r for r in rosters if r.shifts]
    st.dataframe(pd.DataFrame([{
        t("roster.team"): r.team, t("roster.on_duty"): ", ".join(r.on_duty_now) or "—",
        "#": s.id, t("login.username"): s.username,
        t("roster.when"): s.on_date.isoformat() if s.on_date else DAYS[s.weekday or 0],
        t("roster.hours"): f"{hhmm(s.start_minute)}–{hhmm(s.end_minute)} WIB",
    } for r in shown for s in r.shifts]), hide_index=True, width="stretch")
    with st.form("admin_roster_add"):
        c = st.columns(5)
        team = c[0].selectbox(t("roster.team"), [r.team for r in rosters], key="admin_roster_team")
        user = c[1].selectbox(t("login.username"), usernames, key="admin_roster_user")
        day = c[2].selectbox(t("roster.when"), [None, *range(7)], key="admin_roster_day",
                             format_func=lambda d: t("roster.one_off") if d is None else DAYS[d])
        on = c[2].date_input(t("roster.date"), value=None, key="admin_roster_date")
        start = c[3].text_input(t("roster.start"), value="08:00", key="admin_roster_start")
        end = c[4].text_input(t("roster.end"), value="16:00", key="admin_roster_end")
        if st.form_submit_button(t("roster.add"), key="admin_roster_add_button"):
            on_date = on if day is None and isinstance(on, date) else None
            ui.run_action(lambda: people.add_shift(principal, team, user, start, end, weekday=day, on_date=on_date),
                          t("admin.saved"))
    with st.form("admin_roster_remove"):
        shift_id = st.number_input("#", min_value=1, step=1, key="admin_roster_remove_id")
        if st.form_submit_button(t("roster.remove"), key="admin_roster_remove_button"):
            ui.run_action(lambda: people.remove_shift(principal, int(shift_id)), t("admin.saved"))


def rules_tab(principal) -> None:
    rules = alert_admin.rules(principal)
    st.dataframe(pd.DataFrame([{
        t("rules.rule"): t(f"rules.{r.name}"), t("rules.enabled"): r.enabled,
        t("rules.recipients"): ", ".join(r.recipients), t("rules.threshold"): r.threshold if r.threshold else "",
    } for r in rules]), hide_index=True, width="stretch")
    st.caption(t("rules.kinds", kinds=", ".join(KINDS)))
    by_name = {r.name: r for r in rules}
    name = st.selectbox(t("rules.rule"), list(by_name), format_func=lambda n: t(f"rules.{n}"), key="admin_rule")
    rule = by_name[name]
    with st.form(f"admin_rule_{name}"):
        enabled = st.checkbox(t("rules.enabled"), value=rule.enabled, key=f"admin_rule_enabled_{name}")
        recipients = st.text_input(t("rules.recipients"), value=", ".join(rule.recipients),
                                   key=f"admin_rule_recipients_{name}")
        threshold = st.number_input(t("rules.threshold"), min_value=1, max_value=99, value=rule.threshold or 25,
                                    key=f"admin_rule_threshold_{name}") if name == "at_risk" else None
        if st.form_submit_button(t("admin.saved_button"), key="admin_rule_save"):
            ui.run_action(lambda: alert_admin.set_rule(principal, name, enabled=enabled,
                                                       recipients=recipients.split(","),
                                                       threshold=int(threshold) if threshold else None),
                          t("admin.saved"))
    problems = alert_admin.problem_alerts(principal)
    st.markdown(f"**{t('rules.problems')}**")
    if not problems:
        st.caption(t("rules.no_problems"))
        return
    st.dataframe(pd.DataFrame([{
        "#": p.id, t("rules.case"): p.case_id, t("rules.rule"): t(f"rules.{p.rule}"),
        t("login.username"): p.username, t("contacts.channels"): p.channel, t("rules.state"): p.state,
        t("rules.attempts"): p.attempts, t("rules.next_try"): ui.when(p.next_try_at) if p.state == "pending" else "",
        t("rules.error"): p.last_error or "",
    } for p in problems]), hide_index=True, width="stretch")
