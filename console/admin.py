"""Admin: users, agencies and category routing, SLA targets, collector status, the model,
file import, and the audit trail of admin changes. The comms team sees only the import."""

from datetime import datetime

import pandas as pd
import streamlit as st

from console import admin_alerts, import_form, session, template_admin, ui
from console.display import format_local
from console.i18n import t
from console.services import admin, labels, policy, retraining, routing, sla_targets, sources
from console.services import model as model_service
from console.services.errors import ServiceError
from store.settings import get_settings
from store.vocabulary import ROLES

AUDIT_ROWS = 200
ADD_USER_SERIAL = "admin_add_user_serial"  # the add-user form's widgets end in it

principal = session.require()
st.title(t("page.admin"))


def shown_value(value) -> str:
    return t("common.none") if value is None or value == "" else str(value)


def change_text(old, new) -> str:
    """'role: komunikasi → kepala_dinas; agency_code: — → DINKES', unchanged fields left out."""
    if not isinstance(old, dict | None) or not isinstance(new, dict | None):
        return f"{shown_value(old)} → {shown_value(new)}"
    old, new = old or {}, new or {}
    parts = []
    for field in dict.fromkeys([*old, *new]):
        if field not in old:
            parts.append(f"{field}: {shown_value(new.get(field))}")
        elif old[field] != new.get(field):
            parts.append(f"{field}: {shown_value(old[field])} → {shown_value(new.get(field))}")
    return "; ".join(parts)


if not policy.may(principal, policy.Action.ADMINISTER):
    # The comms team comes here only to import files; the rest is the admins'.
    import_form.render(principal)
    st.stop()

try:
    users = admin.list_users(principal)
    agencies = admin.list_agencies(principal)
except ServiceError as exc:
    ui.show_error(exc)
    st.stop()
agency_names = {a.code: f"{a.code} · {a.name}" for a in agencies}

(tab_users, tab_contacts, tab_roster, tab_rules, tab_agencies, tab_sla, tab_sources, tab_model, tab_import,
 tab_templates, tab_audit) = st.tabs([t("admin.users"), t("admin.contacts"), t("admin.roster"), t("admin.rules"),
                                      t("admin.agencies"), t("admin.sla"), t("admin.sources"), t("admin.model"),
                                      t("admin.import"), t("admin.templates"), t("admin.audit")])

with tab_users:
    st.dataframe(pd.DataFrame([{
        t("login.username"): u.username, t("admin.display_name"): u.display_name,
        t("admin.role"): t(f"role.{u.role}"), t("admin.agency"): u.agency_code or "",
        t("admin.active"): u.active, t("admin.locked_until"): ui.when(u.locked_until) if u.locked_until else "",
        t("admin.last_login"): ui.when(u.last_login_at) if u.last_login_at else "",
    } for u in users]), hide_index=True, width="stretch")

    # Cleared only after a user was added (new keys); a refused form keeps what was typed.
    n = st.session_state.get(ADD_USER_SERIAL, 0)
    with st.expander(t("admin.user_add"), expanded=False), st.form(f"admin_user_add_{n}"):
        c = st.columns(2)
        username = c[0].text_input(t("login.username"), key=f"admin_new_username_{n}")
        display = c[1].text_input(t("admin.display_name"), key=f"admin_new_display_{n}")
        role = c[0].selectbox(t("admin.role"), ROLES, format_func=lambda r: t(f"role.{r}"), key=f"admin_new_role_{n}")
        agency = c[1].selectbox(t("admin.agency"), [None, *agency_names],
                                format_func=lambda a: agency_names.get(a, "—"), key=f"admin_new_agency_{n}")
        password = st.text_input(t("login.password"), type="password", key=f"admin_new_password_{n}")
        if st.form_submit_button(t("admin.user_add"), key="admin_add_user"):
            ui.run_action(lambda: admin.add_user(principal, username, display, role, password, agency),
                    t("admin.user_added", username=username.strip().lower()),
                    after=lambda _user: st.session_state.update({ADD_USER_SERIAL: n + 1}))

    by_name = {u.username: u for u in users}
    picked = st.selectbox(t("admin.user_pick"), list(by_name), key="admin_user")
    if picked:
        user = by_name[picked]
        c = st.columns(3)
        with c[0]:
            if user.active and st.button(t("admin.deactivate"), key="admin_deactivate"):
                ui.run_action(lambda: admin.set_active(principal, user.id, False), t("admin.saved"))
            if not user.active and st.button(t("admin.activate"), key="admin_activate"):
                ui.run_action(lambda: admin.set_active(principal, user.id, True), t("admin.saved"))
        with c[1], st.form("admin_reset_form", clear_on_submit=True):
            new_password = st.text_input(t("admin.new_password"), type="password", key="admin_reset_password")
            if st.form_submit_button(t("admin.reset_password"), key="admin_reset"):
                ui.run_action(lambda: admin.reset_password(principal, user.id, new_password), t("admin.saved"))
        with c[2], st.form("admin_role_form"):
            new_role = st.selectbox(t("admin.role"), ROLES, index=ROLES.index(user.role),
                                    format_func=lambda r: t(f"role.{r}"), key=f"admin_role_{user.id}")
            codes = [None, *agency_names]
            new_agency = st.selectbox(t("admin.agency"), codes, format_func=lambda a: agency_names.get(a, "—"),
                                      index=codes.index(user.agency_code) if user.agency_code in codes else 0,
                                      key=f"admin_agency_{user.id}")
            if st.form_submit_button(t("admin.set_role"), key="admin_set_role"):
                ui.run_action(lambda: admin.set_role(principal, user.id, new_role, new_agency), t("admin.saved"))

with tab_contacts:
    admin_alerts.contacts_tab(principal, [u.username for u in users if u.active])

with tab_roster:
    admin_alerts.roster_tab(principal, [u.username for u in users if u.active])

with tab_rules:
    admin_alerts.rules_tab(principal)

with tab_agencies:
    st.dataframe(pd.DataFrame([{t("admin.agency_code"): a.code, t("admin.agency_name"): a.name,
                                t("admin.agency_kind"): a.kind, t("admin.active"): a.active} for a in agencies]),
                 hide_index=True, width="stretch")
    with st.form("admin_agency_form"):
        c = st.columns([1, 3, 1, 1])
        code = c[0].text_input(t("admin.agency_code"), key="admin_agency_code")
        name = c[1].text_input(t("admin.agency_name"), key="admin_agency_name")
        kind = c[2].selectbox(t("admin.agency_kind"), ["dinas", "badan", "bagian", "kecamatan"],
                              key="admin_agency_kind")
        active = c[3].checkbox(t("admin.active"), value=True, key="admin_agency_active")
        if st.form_submit_button(t("admin.agency_save"), key="admin_agency_save"):
            ui.run_action(lambda: admin.save_agency(principal, code, name, kind, active), t("admin.saved"))

    routes = admin.list_routes(principal)
    st.dataframe(pd.DataFrame([{t("admin.route_category"): ui.tag_label(cat), t("admin.route_agency"): agency or "—"}
                               for cat, agency in routes.items()]), hide_index=True, width="stretch")
    with st.form("admin_route_form"):
        c = st.columns(2)
        category = c[0].selectbox(t("admin.route_category"), list(routes), format_func=ui.tag_label,
                                  key="admin_route_category")
        active_codes = [a.code for a in agencies if a.active]
        target = c[1].selectbox(t("admin.route_agency"), active_codes, format_func=agency_names.get,
                                key="admin_route_agency")
        if st.form_submit_button(t("admin.route_save"), key="admin_route_save"):
            ui.run_action(lambda: admin.set_route(principal, category, target), t("admin.saved"))

    threshold = routing.routing_threshold(principal)
    st.caption(t(f"admin.routing_threshold_{threshold.source}", value=threshold.value, model=threshold.model_value))
    with st.form("admin_routing_form"):
        c = st.columns([2, 1, 1])
        wanted = c[0].number_input(t("admin.routing_threshold"), min_value=0.01, max_value=1.0, step=0.01,
                                   value=threshold.value if threshold.value is not None else 0.9,
                                   key="admin_routing_threshold")
        if c[1].form_submit_button(t("admin.routing_save"), key="admin_routing_save"):
            ui.run_action(lambda: routing.set_routing_threshold(principal, round(float(wanted), 4)), t("admin.saved"))
        if c[2].form_submit_button(t("admin.routing_reset"), key="admin_routing_reset"):
            ui.run_action(lambda: routing.set_routing_threshold(principal, None), t("admin.saved"))

with tab_sla:
    targets = sla_targets.sla_targets(principal)
    rows = [{t("admin.sla_scope"): t("admin.sla_default"), t("admin.sla_minutes"): targets.default_minutes,
             "": t("admin.sla_source.admin" if "default" in targets.overridden else "admin.sla_source.settings")}]
    rows += [{t("admin.sla_scope"): ui.tag_label(u), t("admin.sla_minutes"): m,
              "": t("admin.sla_source.admin" if u in targets.overridden else "admin.sla_source.settings")}
             for u, m in targets.by_urgency.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    scopes = ["default", *labels.urgencies()]
    with st.form("admin_sla_form"):
        c = st.columns(2)
        scope = c[0].selectbox(t("admin.sla_scope"), scopes, key="admin_sla_scope",
                               format_func=lambda s: t("admin.sla_default") if s == "default" else ui.tag_label(s))
        minutes = c[1].number_input(t("admin.sla_minutes"), min_value=1, max_value=43200, value=240, step=15,
                                    key="admin_sla_minutes")
        save, reset = st.columns(2)
        if save.form_submit_button(t("admin.sla_save"), key="admin_sla_save"):
            try:
                moved = sla_targets.set_sla_target(principal, scope, int(minutes))
            except ServiceError as exc:
                ui.show_error(exc)
            else:
                session.flash("success", t("admin.sla_saved", n=moved))
                st.rerun()
        if reset.form_submit_button(t("admin.sla_reset"), key="admin_sla_reset"):
            try:
                moved = sla_targets.set_sla_target(principal, scope, None)
            except ServiceError as exc:
                ui.show_error(exc)
            else:
                session.flash("success", t("admin.sla_saved", n=moved))
                st.rerun()

with tab_sources:
    status = sources.source_status(principal)
    if not status:
        st.info(t("admin.sources_none"))
    for s in status:
        with st.container(border=True):
            st.markdown(f"**{s.source}**")
            c = st.columns(4)
            c[0].metric(t("admin.source_status"), s.status)
            c[1].metric(t("admin.source_last_run"), ui.when(s.last_run_at))
            c[2].metric(t("admin.source_last_ok"), ui.when(s.last_success_at))
            if s.reads_left is not None:
                c[3].metric(t("admin.source_budget"), s.reads_left)
            if s.last_error or s.detail:
                st.text(f"{t('admin.source_error')}: {s.last_error or s.detail}")  # API text: plain
            if s.runs:
                st.dataframe(pd.DataFrame([{
                    t("admin.run_start"): ui.when(r.started_at), t("admin.run_end"): ui.when(r.ended_at),
                    t("admin.run_fetched"): r.fetched, t("admin.run_inserted"): r.inserted,
                    t("admin.run_duplicates"): r.duplicates, t("admin.run_error"): r.error or ""} for r in s.runs]),
                    hide_index=True, width="stretch")

with tab_model:
    info = model_service.model_info()
    st.metric(t("admin.feedback_count"), model_service.feedback_count())
    if info is None:
        st.info(t("admin.model_missing"))
    else:
        st.metric(t("admin.model_version"), info.version)
        if info.trained_at:
            st.caption(t("admin.model_trained", when=ui.when(datetime.fromisoformat(info.trained_at))))
        if info.metrics:
            st.markdown(f"**{t('admin.model_metrics')}**")
            st.json(info.metrics)
    last = model_service.last_training()
    if last is not None:
        st.markdown(f"**{t('admin.last_training', version=last.version)}**")
        if not last.gated:
            st.caption(t("admin.gate_not_gated"))
        elif last.promoted:
            st.success(t("admin.gate_promoted"))
        else:
            st.warning(t("admin.gate_refused"))
        if last.checks:
            st.dataframe(pd.DataFrame([{
                t("admin.gate_check"): t(f"gate.{c.name}", rows=c.rows if c.rows is not None else 0,
                                         tolerance=c.tolerance if c.tolerance is not None else 0),
                t("admin.gate_result"): t("gate.pass") if c.passed else t("gate.fail"),
                t("admin.gate_candidate"): c.candidate, t("admin.gate_active"): c.active} for c in last.checks]),
                hide_index=True, width="stretch")
    schedule = retraining.status(principal)
    st.markdown(f"**{t('admin.retrain_schedule')}**")
    st.caption(t("admin.retrain_waiting", new=schedule.new_rows, threshold=schedule.threshold))
    if schedule.last is not None:
        st.write(t("admin.retrain_last", when=ui.when(datetime.fromisoformat(schedule.last.at)),
                   outcome=t(f"admin.retrain_outcome.{schedule.last.outcome}"),
                   version=schedule.last.version or "—"))
        for reason in schedule.last.reasons:
            st.text(reason)  # the trainer's words (an error may quote anything): plain text
    if schedule.requested_by:
        st.info(t("admin.retrain_requested", user=schedule.requested_by))
    elif st.button(t("admin.retrain"), key="admin_retrain", icon=":material/model_training:"):
        try:
            retraining.request(principal)
        except ServiceError as exc:
            ui.show_error(exc)
        else:
            st.rerun()  # shows the request as waiting for the worker

with tab_import:
    import_form.render(principal)

with tab_templates:
    template_admin.render_section(principal)

with tab_audit:
    events = admin.recent_admin_events(principal, limit=AUDIT_ROWS)
    if not events:
        st.info(t("admin.audit_none"))
    else:
        st.caption(t("admin.audit_caption", n=AUDIT_ROWS))
        zone = get_settings().zone
        st.dataframe(pd.DataFrame([{
            t("admin.audit_when"): format_local(e.logged_at, zone, with_seconds=True),
            t("admin.audit_actor"): e.actor_label, t("admin.audit_action"): t(f"audit.{e.action}"),
            t("admin.audit_target"): e.target, t("admin.audit_change"): change_text(e.old_value, e.new_value),
        } for e in events]), hide_index=True, width="stretch")
