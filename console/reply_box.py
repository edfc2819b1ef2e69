"""The case page's reply parts: the box to write a reply (template, length as X counts it,
SMS parts, a warning before a public reply names a phone number, a NIK or a child) and the
list of the case's replies with their states, refreshed every few seconds, with approve,
send back and send again where the user may."""

from __future__ import annotations

import streamlit as st

from console import render, ui
from console.i18n import t
from console.services import replies, templates
from console.services.policy import Action
from console.services.reply_text import check

REFRESH_SECONDS = 5


def reply_form(principal, case) -> None:
    """The reply box. Its text is kept per case; a chosen template fills it in."""
    where = replies.destination_for(principal, case.id)
    text_key = f"reply_text_{case.id}"
    if where.target is None:
        st.info(t("reply.manual_note"))
    else:
        private = t("reply.where_private") if where.private else ""
        st.caption(t("reply.where", platform=t(f"platform.{where.platform}"), private=private))
    names = {row.name: row for row in templates.list_templates(principal, case.category)}
    c1, c2 = st.columns([3, 1])
    chosen = c1.selectbox(t("reply.template"), [None, *names], key=f"reply_template_{case.id}",
                          format_func=lambda n: n or t("reply.no_template"))
    if c2.button(t("reply.fill"), key=f"reply_fill_{case.id}", disabled=chosen is None):
        st.session_state[text_key] = templates.fill(principal, case.id, chosen)[0]
        st.rerun()
    text = st.text_area(t("reply.text"), key=text_key, height=120)
    checked = check(text, where.platform, public=where.platform in ("twitter", "facebook") and not where.private)
    if checked.limit is not None:
        (st.error if checked.too_long else st.caption)(t("reply.length_x", length=checked.length,
                                                         limit=checked.limit))
    if checked.sms_parts:
        st.caption(t("reply.sms_parts", parts=checked.sms_parts, coding=checked.sms_coding))
    allow = False
    if checked.warnings:
        what = ", ".join(t(f"reply.warn.{w}") for w in checked.warnings)
        st.warning(t("reply.personal_warning", what=what), icon=":material/privacy_tip:")
        allow = st.checkbox(t("reply.confirm_personal"), key=f"reply_allow_{case.id}")
    if st.button(t("reply.submit"), key=f"reply_submit_{case.id}", type="primary",
                 disabled=not text.strip() or checked.too_long):
        def clear(view) -> None:
            st.session_state.pop(text_key, None)
            if view.state == "draft":
                st.session_state["reply_flash"] = t("reply.needs_approval")
        ui.run_action(lambda: replies.draft(principal, case.id, text, template=chosen, allow_personal=allow),
                      t("reply.saved"), after=clear)


@st.fragment(run_every=REFRESH_SECONDS)
def reply_list(principal, case_id: int, allowed: frozenset) -> None:
    """Each reply with its state, as the sender moves it along (the fragment reruns alone)."""
    st.subheader(t("reply.list"))
    if note := st.session_state.pop("reply_flash", None):
        st.info(note)
    rows = replies.case_replies(principal, case_id)
    if not rows:
        st.caption(t("reply.none"))
    for r in rows:
        with st.container(border=True):
            st.text(t("reply.row", id=r.id, state=t(f"reply_state.{r.state}"), who=r.drafted_by,
                      when=ui.when(r.drafted_at)))
            render.untrusted_text(r.text)  # staff text, but it may quote the citizen: inert all the same
            if r.platform_at:
                st.caption(t("reply.platform_time", when=ui.when(r.platform_at)))
            if r.review_comment:
                st.text(t("reply.sent_back_comment", comment=render.clean(r.review_comment)))
            if r.state == "failed":
                st.error(t("reply.error", words=t(f"reply_error.{r.error_code}")))
            _actions(principal, r, allowed)


def _actions(principal, r, allowed: frozenset) -> None:
    if r.state == "draft" and Action.APPROVE_REPLY in allowed:
        c1, c2, c3 = st.columns([1, 1, 3])
        if c1.button(t("reply.approve"), key=f"reply_approve_{r.id}"):
            ui.run_action(lambda: replies.approve(principal, r.id), t("reply.approved"))
        comment = c3.text_input(t("reply.comment"), key=f"reply_comment_{r.id}")
        if c2.button(t("reply.send_back"), key=f"reply_back_{r.id}"):
            ui.run_action(lambda: replies.send_back(principal, r.id, comment), t("reply.returned"))
    if r.state == "failed" and Action.APPROVE_REPLY in allowed and st.button(t("reply.retry"),
                                                                             key=f"reply_retry_{r.id}"):
        ui.run_action(lambda: replies.retry(principal, r.id), t("reply.retried"))
