"""Masuk: username and password against the staff accounts."""

import streamlit as st

from console import session
from console.i18n import t
from console.services.auth import LoginRefused, login

st.title(t("app.title"))
st.caption(t("login.intro"))

with st.form("login_form"):
    username = st.text_input(t("login.username"), key="login_username")
    password = st.text_input(t("login.password"), type="password", key="login_password")
    submitted = st.form_submit_button(t("login.submit"), key="login_submit", type="primary")

if submitted:
    try:
        principal = login(username, password)
    except LoginRefused as exc:
        if exc.locked_minutes:
            st.error(t("login.locked", minutes=exc.locked_minutes))
        else:
            st.error(t("login.wrong"))
    else:
        session.sign_in_with_password(principal)
        st.rerun()
