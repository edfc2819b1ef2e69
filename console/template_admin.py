"""The Admin page's reply templates section: the templates, and a form to add, change or
remove one (the service checks the placeholders and audits each change)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console import render, ui
from console.i18n import t
from console.services import labels, templates
from store.sla import RESPONSE_KINDS


def render_section(principal) -> None:
    rows = templates.list_templates(principal)
    st.dataframe(pd.DataFrame([{
        t("admin.template_name"): r.name, t("admin.template_category"): ui.tag_label(r.category) if r.category
        else t("admin.template_any"), t("admin.template_kind"): t(f"kind.{r.kind}"),
        t("admin.template_text"): render.clean(r.text)} for r in rows]), hide_index=True, width="stretch")
    by_name = {r.name: r for r in rows}
    picked = st.selectbox(t("admin.template_name"), [None, *by_name], key="admin_template_pick",
                          format_func=lambda n: n or "+")
    current = by_name.get(picked) if picked else None
    with st.form(f"admin_template_form_{picked}"):
        name = st.text_input(t("admin.template_name"), value=current.name if current else "")
        cats = [None, *labels.categories()]
        category = st.selectbox(t("admin.template_category"), cats, index=cats.index(current.category) if current
                                else 0, format_func=lambda c: ui.tag_label(c) if c else t("admin.template_any"))
        kind = st.selectbox(t("admin.template_kind"), RESPONSE_KINDS, format_func=lambda k: t(f"kind.{k}"),
                            index=RESPONSE_KINDS.index(current.kind) if current else 0)
        text = st.text_area(t("admin.template_text"), value=current.text if current else "")
        saved = st.form_submit_button(t("admin.template_save"), type="primary")
    if saved:
        ui.run_action(lambda: templates.save_template(principal, name, text, category, kind), t("admin.template_saved"))
    if current and st.button(t("admin.template_remove"), key="admin_template_remove"):
        ui.run_action(lambda: templates.remove_template(principal, current.name), t("admin.template_removed"))
