"""Detail Kasus: the mentions, the tags and the terms behind them, the actions, the timeline.

Actions carry the case version this user last loaded (case_seen); if someone else changed
the case meanwhile the service refuses with a Conflict and nothing is overwritten."""

from datetime import date, datetime, time

import pandas as pd
import streamlit as st

from console import render, reply_box, session, ui, urgency_banner, whatsapp_view
from console.i18n import current_language, t
from console.services import cases, labels, reference
from console.services import model as model_service
from console.services.errors import Conflict, ServiceError
from console.services.policy import Action
from store.settings import get_settings
from store.sla import RESPONSE_KINDS, clocks
from store.types import utcnow
from store.vocabulary import OPEN_STATUSES, RESPONSE_CHANNELS

SEEN = "case_seen"  # case id → the version this user last loaded on purpose
CONFLICT = "case_conflict"
# (case id, serial, default day, default time) of the response form. Its widgets' keys end in
# the serial, so a new serial is a fresh, empty form; Streamlit keeps what the browser shows
# in a widget whose key stays the same, even when its session state is dropped.
RESP_FORM = "case_resp_form"


@st.cache_data(ttl=600, show_spinner=False)
def terms_for(text: str) -> dict[str, list[str]]:
    return model_service.terms_behind_tags(text)


def open_case(case_id: int | None) -> None:
    if case_id:
        st.query_params["case"] = str(case_id)


def reload(case_id: int, version: int) -> None:
    st.session_state[SEEN][case_id] = version
    st.session_state.pop(CONFLICT, None)


def response_form(case_id: int, local_now: datetime) -> tuple[int, date, time]:
    """The serial and default day and time of this case's response form: the minute (WIB)
    the form was first drawn for the case."""
    state = st.session_state.get(RESP_FORM)
    if state is None or state[0] != case_id:
        serial = state[1] + 1 if state else 0
        state = (case_id, serial, local_now.date(), local_now.time().replace(second=0, microsecond=0))
        st.session_state[RESP_FORM] = state
    return state[1], state[2], state[3]


def new_response_form() -> None:
    _, serial, *_ = st.session_state[RESP_FORM]
    st.session_state[RESP_FORM] = (None, serial, None, None)


def response_kind_form(case_id: int, seen: int, responses: list) -> None:
    """Correct a logged response's kind: the clocks follow, the timeline records it."""
    st.markdown(f"**{t('case.change_kind')}**")
    if not responses:
        st.caption(t("case.kind_none"))
        return
    by_id = {e.id: e for e in responses}
    c1, c2 = st.columns([3, 2])
    # The label holds the channel, kind and time only: the response text stays out of widgets.
    picked = c1.selectbox(t("case.kind_response"), list(by_id), key=f"case_kind_response_{case_id}",
                          format_func=lambda i: f"#{i} · {ui.when(by_id[i].happened_at)} · "
                                                f"{t('channel.' + by_id[i].response_channel)} · "
                                                f"{t('kind.' + by_id[i].response_kind)}")
    kind = c2.selectbox(t("case.kind"), RESPONSE_KINDS, format_func=lambda k: t(f"kind.{k}"),
                        key=f"case_kind_value_{case_id}")
    if st.button(t("case.kind_submit"), key="case_kind_save"):
        change_case(case_id, lambda: cases.change_response_kind(principal, case_id, seen, event_id=picked,
                                                                  kind=kind), t("case.kind_saved"))


def change_case(case_id: int, action, done_message: str, after=None) -> None:
    """ui.run_action for a change to this case: remembers the version the change left, so
    the next change is checked against it, and turns a Conflict into the reload offer."""
    def remember(updated) -> None:
        st.session_state[SEEN][case_id] = updated.version
        if after:
            after()

    def offer_reload(exc: Conflict) -> None:
        st.session_state[CONFLICT] = (case_id, exc.changed_by, exc.changed_at)

    ui.run_action(action, done_message, after=remember, on_conflict=offer_reload)


principal = session.require()
st.session_state.setdefault(SEEN, {})
raw_id = st.query_params.get("case")
case_id = int(raw_id) if raw_id and raw_id.isdigit() else None

st.title(t("page.case"))
picked = st.number_input(t("case.pick"), min_value=1, step=1, value=case_id, key=f"case_pick_{case_id}")
if picked and picked != case_id:
    open_case(int(picked))
    st.rerun()
if case_id is None:
    st.stop()

try:
    detail = cases.case_detail(principal, case_id)
except ServiceError as exc:
    ui.show_error(exc)
    st.stop()

case, now, zone = detail.case, utcnow(), get_settings().zone
seen = st.session_state[SEEN].setdefault(case_id, case.version)

st.header(t("case.title", id=case.id))
if case.restricted:
    st.warning(t("case.restricted_banner"), icon=":material/shield_person:")
both = clocks(case, now)
st.markdown(f"**{t('status.' + case.status)}** · {ui.sla_text(case, now)}")
st.caption(t("case.clock_handling", clock=t("clock.handling"), state=ui.clock_text(both.handling, case.is_open, now),
             due=ui.when(both.handling.due_at), stopped=ui.when(both.handling.stopped_at)))
st.caption(t("case.clock_ack", clock=t("clock.acknowledgement"), state=ui.ack_mark(case, now),
             due=ui.when(both.acknowledgement.due_at), stopped=ui.when(both.acknowledgement.stopped_at)))
st.caption(t("case.facts", opened=ui.when(case.opened_at), resolved=ui.when(case.resolved_at)))
st.caption(t("case.lead", agency=case.lead_agency_code or "—",
             assignee=detail.assignee.display_name if detail.assignee else "—",
             supporting=", ".join(detail.supporting) or "—"))

conflict = st.session_state.get(CONFLICT)
if conflict and conflict[0] == case_id:
    st.warning(t("case.conflict", who=conflict[1] or "—", when=ui.when(conflict[2])))
elif case.version != seen:
    st.warning(t("case.changed", who=detail.changed_by or "—", when=ui.when(case.updated_at)))
if (conflict and conflict[0] == case_id) or case.version != seen:
    st.button(t("case.reload"), key="case_reload", on_click=reload, args=(case_id, case.version),
              icon=":material/refresh:")

left, right = st.columns([3, 2])
with left:
    st.subheader(t("case.mentions", n=len(detail.mentions)))
    for mention in detail.mentions:
        with st.container(border=True):
            # One plain-text line: the author's name is as untrusted as the message. Numbers in
            # both come masked from the service unless this user calls the citizen back.
            st.text(f"{mention.author or '—'} · {t('platform.' + mention.platform)} · {ui.when(mention.created_at)}")
            render.untrusted_text(mention.text)
            whatsapp_view.attachment(principal, case_id, mention)
            whatsapp_view.place(mention)
            render.platform_link(mention.platform, mention.permalink, key=f"case_link_{mention.id}")

kecamatan_names = {k.code: k.name for k in reference.kecamatan()}
with right:
    st.subheader(t("case.tags"))
    st.write(f"{t('col.category')}: " + t("case.tag_line", label=ui.tag_label(case.category),
                                          confidence=ui.confidence(case.category_confidence) or "—"))
    st.write(f"{t('col.urgency')}: " + t("case.tag_line", label=ui.tag_label(case.urgency),
                                         confidence=ui.confidence(case.urgency_confidence) or "—"))
    st.caption(t("case.tagged_by", who=t(f"case.tagged_by.{case.tagged_by}") if case.tagged_by else "—")
               + (f" · {case.model_version}" if case.model_version else ""))
    if case.needs_review:
        st.caption(f":material/flag: {t('case.needs_review')}")
    urgency_banner.show(principal, detail, seen, change_case)
    st.markdown(f"**{t('case.terms')}**")
    terms = terms_for("\n".join(m.text for m in detail.mentions))
    if any(terms.values()):
        for head, words in terms.items():
            # Model terms come from the untrusted text too: plain text only.
            label = t("case.terms_rule") if head == "rule" else t("col." + head)
            st.text(f"{label}: {', '.join(words)}")
    else:
        st.caption(t("case.terms_none"))
    candidates = [] if case.kecamatan_code else model_service.place_candidates(
        "\n".join(m.text for m in detail.mentions))
    if candidates:  # names from the gazetteer and the reference tables, not from the message
        st.caption(t("case.place_candidates", desa=candidates[0][0],
                     options=" / ".join(kecamatan_names.get(code, code) for _, code in candidates)))

# A new case is assigned first; then answered (a reply on the platform, or a response logged).
TABS = (("assign", Action.ASSIGN, "case.assign"), ("reply", Action.REPLY, "case.reply"),
        ("respond", Action.RESPOND, "case.respond"),
        ("retag", Action.RETAG, "case.retag"), ("status", Action.RESOLVE, "col.status"))
offered = [(name, label) for name, action, label in TABS
           if action in detail.allowed or (name == "status" and detail.allowed & {Action.CLOSE, Action.RESTRICT})]
if not offered:
    st.info(t("common.readonly"))
tab = dict(zip([name for name, _ in offered], st.tabs([t(label) for _, label in offered]) if offered else [],
               strict=True))

if "reply" in tab:
    with tab["reply"]:
        if case.status in OPEN_STATUSES:
            reply_box.reply_form(principal, case)
        else:
            st.caption(t("err.respond_not_open", status=t(f"status.{case.status}")))

if "assign" in tab:
    with tab["assign"]:
        hand_over = Action.HAND_OVER in detail.allowed  # else the lead agency and support stay as they are
        if hand_over:
            agency_codes = [a.code for a in reference.agencies(exclude_kind="kecamatan")]
        else:
            agency_codes = [case.lead_agency_code]
        suggested = reference.route_for(case.category)
        default_agency = case.lead_agency_code or suggested
        if default_agency not in agency_codes:
            default_agency = agency_codes[0] if agency_codes else None
        agency_names = {a.code: f"{a.code} · {a.name}" for a in reference.agencies(active_only=False)}
        lead = st.selectbox(t("case.lead_agency"), agency_codes, format_func=lambda c: agency_names.get(c, c),
                            index=agency_codes.index(default_agency) if default_agency else 0,
                            key=f"case_agency_{case_id}")
        if suggested:
            st.caption(t("case.suggested", agency=agency_names.get(suggested, suggested)))
        staff = {s.code: s.name for s in reference.staff_for(principal, lead)}
        staff_codes = [None, *staff]
        current = detail.assignee.username if detail.assignee else None
        assignee = st.selectbox(t("case.assignee"), staff_codes, format_func=lambda u: staff.get(u, "—"),
                                index=staff_codes.index(current) if current in staff_codes else 0,
                                key=f"case_assignee_{case_id}_{lead}")
        support_codes = [c for c in agency_names if c != lead]
        office = reference.kecamatan_office(case.kecamatan_code)
        default_support = detail.supporting or ([office] if office and not case.lead_agency_code else [])
        supporting = None
        if hand_over:
            supporting = st.multiselect(t("case.supporting"), support_codes, format_func=lambda c: agency_names[c],
                                        default=[c for c in default_support if c in support_codes],
                                        placeholder=t("common.choose"), key=f"case_support_{case_id}")
        if st.button(t("case.assign_submit"), key="case_assign", type="primary", disabled=not case.is_open):
            change_case(case_id, lambda: cases.assign(principal, case_id, seen, agency_code=lead, assignee=assignee,
                                                     supporting=supporting), t("case.assigned"))

if "respond" in tab:
    with tab["respond"]:
        # Left unchanged, the default time means "now", taken to the second at submit, so a
        # response logged minutes later (or in the same minute as the mention arrived) is neither
        # backdated nor refused as before the case opened. The default is passed as the widgets'
        # value: a widget the browser mounts later (a tab opened after a rerun) shows it, never
        # Streamlit's own "now", which is the server's clock (UTC), not WIB.
        serial, default_day, default_clock = response_form(case_id, now.astimezone(zone))
        with st.form("case_respond_form"):
            text = st.text_area(t("case.response_text"), key=f"case_resp_text_{serial}")
            channel = st.selectbox(t("case.channel"), RESPONSE_CHANNELS, format_func=lambda c: t(f"channel.{c}"),
                                   key=f"case_resp_channel_{serial}")
            kind = st.selectbox(t("case.kind"), [None, *RESPONSE_KINDS], help=t("case.kind_help"),
                                format_func=lambda k: t(f"kind.{k}") if k else t("case.kind_auto"),
                                key=f"case_resp_kind_{serial}")
            c1, c2 = st.columns(2)
            day = c1.date_input(t("case.response_date"), value=default_day, key=f"case_resp_date_{serial}",
                                format="DD/MM/YYYY")
            clock = c2.time_input(t("case.response_time"), value=default_clock, key=f"case_resp_time_{serial}",
                                  step=60)
            submitted = st.form_submit_button(t("case.respond_submit"), key="case_respond", type="primary")
        if submitted:
            happened = None if (day, clock) == (default_day, default_clock) else datetime.combine(day, clock, zone)
            change_case(case_id, lambda: cases.respond(principal, case_id, seen, text=text, channel=channel,
                                                      kind=kind, happened_at=happened), t("case.responded"),
                       after=new_response_form)
        response_kind_form(case_id, seen, [e for e in detail.timeline if e.action == "responded"])

if "retag" in tab:
    with tab["retag"]:
        with st.form("case_retag_form"):
            cats, urgs = labels.categories(), labels.urgencies()
            category = st.selectbox(t("col.category"), cats, format_func=ui.tag_label, key=f"case_cat_{case_id}",
                                    index=cats.index(case.category) if case.category in cats else 0)
            urgency = st.selectbox(t("col.urgency"), urgs, format_func=ui.tag_label, key=f"case_urg_{case_id}",
                                   index=urgs.index(case.urgency) if case.urgency in urgs else len(urgs) - 1)
            picks = [code for _, code in candidates]  # the candidates first, for staff to pick
            kec_codes = [None, *picks, *(c for c in kecamatan_names if c not in picks)]
            kec = st.selectbox(t("col.kecamatan"), kec_codes, format_func=lambda k: kecamatan_names.get(k, "—"),
                               index=kec_codes.index(case.kecamatan_code) if case.kecamatan_code in kec_codes else 0,
                               key=f"case_kec_{case_id}")
            retagged = st.form_submit_button(t("common.save"), key="case_retag")
        if retagged:
            change_case(case_id, lambda: cases.retag(principal, case_id, seen, category=category, urgency=urgency,
                                                    kecamatan_code=kec), t("case.retag_saved"))

if "status" in tab:
    with tab["status"]:
        may_resolve = Action.RESOLVE in detail.allowed
        if case.status in OPEN_STATUSES:
            if may_resolve and st.button(t("case.resolve"), key="case_resolve",
                                         disabled=case.first_handling_at is None):
                change_case(case_id, lambda: cases.resolve(principal, case_id, seen), t("case.resolved"))
            if Action.CLOSE in detail.allowed and st.button(t("case.close"), key="case_close"):
                change_case(case_id, lambda: cases.close_no_action(principal, case_id, seen), t("case.closed"))
        elif may_resolve and st.button(t("case.reopen"), key="case_reopen"):
            change_case(case_id, lambda: cases.reopen(principal, case_id, seen), t("case.reopened"))
        if Action.RESTRICT in detail.allowed:
            restricted = st.toggle(t("case.restricted_toggle"), value=case.restricted,
                                   help=t("case.restricted_help"), key=f"case_restricted_{case_id}_{case.version}")
            if restricted != case.restricted:
                change_case(case_id, lambda: cases.set_restricted(principal, case_id, seen, restricted),
                           t("case.restricted_on" if restricted else "case.restricted_off"))

def event_detail(event) -> str:
    if event.action == "opened":
        # Why the classifier raised or lowered the urgency, in the user's language (kept in the
        # opened event's payload by intake); staff can change it back in the retag tab.
        reason = (event.new_value or {}).get("urgency_reason") if isinstance(event.new_value, dict) else None
        return reason.get(current_language(), "") if isinstance(reason, dict) else ""
    if event.action == "responded":
        if not event.response_channel:
            return ""
        kind = f" · {t('kind.' + event.response_kind)}" if event.response_kind else ""
        return f"#{event.id} [{t('channel.' + event.response_channel)}{kind}] {event.response_text}"
    new = event.new_value if isinstance(event.new_value, dict) else {}
    if event.action == "response_kind_changed" and new.get("kind"):
        old = event.old_value.get("kind") if isinstance(event.old_value, dict) else None
        return f"#{new.get('response')}: {t(f'kind.{old}') if old else '—'} → {t('kind.' + new['kind'])}"
    if event.action in ("assigned", "routed"):
        agencies = " · ".join(str(v) for v in (new.get("lead_agency"), ", ".join(new.get("supporting") or [])) if v)
        if "threshold" not in new:
            return agencies
        return f"{agencies} ({ui.tag_label(new['category'])} {new['probability']:.2f} ≥ {new['threshold']})"
    old = event.old_value if isinstance(event.old_value, dict) else {}
    if event.action in ("urgency_raised", "category_changed"):  # by the tagger, from a follow-up
        key = "urgency" if event.action == "urgency_raised" else "category"
        return f"{ui.tag_label(old[key]) if old.get(key) else '—'} → {ui.tag_label(new.get(key))}"
    if event.action == "retagged":
        return f"{ui.tag_label(new.get('category'))} / {ui.tag_label(new.get('urgency'))}"
    if event.action == "due_changed" and new.get("due_at"):
        return ui.when(datetime.fromisoformat(new["due_at"]))
    return event.note or ""


reply_box.reply_list(principal, case_id, detail.allowed)
st.subheader(t("case.timeline"))
st.dataframe(pd.DataFrame([{
    t("timeline.when"): ui.when(e.happened_at),
    t("timeline.who"): e.actor_label,
    t("timeline.what"): t(f"event.{e.action}"),
    t("timeline.detail"): render.clean(event_detail(e)),
} for e in detail.timeline]), hide_index=True, width="stretch")
