"""Who is logged in, in this browser session: sign in and out, the inactivity timeout.

Only the Principal (id, role, agency) lives in st.session_state; every service call
re-reads the account, so a deactivated user or a changed role takes effect at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from console.i18n import t
from console.services.auth import Principal
from store.settings import get_settings
from store.types import utcnow

PRINCIPAL_KEY = "auth_principal"
LAST_SEEN_KEY = "auth_last_seen"
FLASH_KEY = "app_flash"


def current() -> Principal | None:
    return st.session_state.get(PRINCIPAL_KEY)


def sign_in(principal: Principal) -> None:
    st.session_state[PRINCIPAL_KEY] = principal
    st.session_state[LAST_SEEN_KEY] = utcnow()


def sign_out(message: str | None = None) -> None:
    """Forget the user and every page's state; keep the chosen language."""
    lang = st.session_state.get("lang")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if lang:
        st.session_state["lang"] = lang
    if message:
        flash("info", message)


def expired(now: datetime | None = None) -> bool:
    last = st.session_state.get(LAST_SEEN_KEY)
    limit = timedelta(minutes=get_settings().session_timeout_minutes)
    return last is None or (now or utcnow()) - last > limit


def check_timeout() -> None:
    """Called on every full run: an idle session goes back to the login page; any other
    run counts as activity. (Auto-refresh fragments call guard_fragment instead, which
    does not count as activity.)"""
    if current() is None:
        return
    if expired():
        sign_out(t("app.session_expired", minutes=get_settings().session_timeout_minutes))
        return
    st.session_state[LAST_SEEN_KEY] = utcnow()


def guard_fragment() -> None:
    if current() is None or expired():
        st.rerun(scope="app")


def require() -> Principal:
    principal = current()
    if principal is None:
        st.stop()
    return principal


def flash(kind: str, message: str) -> None:
    """A message to show after the next rerun (e.g. after an action that reloads the page)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flash() -> None:
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(message)
