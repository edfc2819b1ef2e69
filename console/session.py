"""Who is logged in, in this browser session: sign in and out, the inactivity timeout.

Only the Principal (id, role, agency) lives in st.session_state, and it is read again from
the database on every run (check_timeout), so a deactivated user or a changed role takes
effect at the next click: the menu and every page see the new role.
A reload starts a new Streamlit session with empty state, so a password login also starts
a login session (console/services/login_sessions.py) whose token the browser keeps in a
session cookie (gone when the browser closes); a reloaded page resumes from it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import streamlit as st

from console.i18n import LANG_KEY, LANGUAGES, t
from console.services import login_sessions
from console.services.auth import Principal
from store.settings import get_settings
from store.types import utcnow

PRINCIPAL_KEY = "auth_principal"
LAST_SEEN_KEY = "auth_last_seen"
FLASH_KEY = "app_flash"
TOKEN_KEY = "auth_token"
COOKIE = "tanggap_session"
LANG_COOKIE = "tanggap_lang"
PENDING_COOKIES = "app_cookies_pending"  # cookie name → value to give the browser ("" takes it back)
LANG_COOKIE_DAYS = 365


def current() -> Principal | None:
    return st.session_state.get(PRINCIPAL_KEY)


def sign_in(principal: Principal, token: str | None = None) -> None:
    st.session_state[PRINCIPAL_KEY] = principal
    st.session_state[LAST_SEEN_KEY] = utcnow()
    if token:
        st.session_state[TOKEN_KEY] = token


def sign_in_with_password(principal: Principal) -> None:
    """After the login form: a new login session, its token handed to the browser."""
    token = login_sessions.start(principal)
    sign_in(principal, token)
    give_cookie(COOKIE, token)


def resume_from_cookie() -> None:
    """A reloaded page (new Streamlit session): log back in from the browser's cookie if its
    login session is still on. The cookies are those the browser sent when it connected."""
    if current() is not None:
        return
    token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str):  # no cookie (or no browser: AppTest)
        return
    principal = login_sessions.resume(token)
    if principal is not None:
        sign_in(principal, token)


def sign_out(message: str | None = None) -> None:
    """End the login session, forget the user and every page's state, and take the cookie
    back; keep the chosen language."""
    login_sessions.end(st.session_state.get(TOKEN_KEY))
    lang = st.session_state.get("lang")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if lang:
        st.session_state["lang"] = lang
    give_cookie(COOKIE, "")
    if message:
        flash("info", message)


def language_from_cookie() -> str | None:
    """The language this browser chose last time (a reload starts with empty state)."""
    lang = st.context.cookies.get(LANG_COOKIE)
    return lang if isinstance(lang, str) and lang in LANGUAGES else None


def remember_language() -> None:
    give_cookie(LANG_COOKIE, st.session_state.get(LANG_KEY, ""))


def give_cookie(name: str, value: str) -> None:
    st.session_state.setdefault(PENDING_COOKIES, {})[name] = value


def hand_cookies_to_browser() -> None:
    """Set or clear the cookies this run asked for: the login token (a session cookie, gone
    when the browser closes) and the language (kept a year). Only Streamlit's own script
    element can set a cookie; the values are ours, never text from outside."""
    for name, value in st.session_state.pop(PENDING_COOKIES, {}).items():
        if not value:
            lifetime = "; Max-Age=0"
        elif name == LANG_COOKIE:
            lifetime = f"; Max-Age={LANG_COOKIE_DAYS * 86400}"
        else:
            lifetime = ""
        script = (f"document.cookie = {json.dumps(f'{name}={value}; Path=/; SameSite=Strict{lifetime}')}"
                  ' + (location.protocol === "https:" ? "; Secure" : "");')
        with st.sidebar:
            st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def expired(now: datetime | None = None) -> bool:
    last = st.session_state.get(LAST_SEEN_KEY)
    limit = timedelta(minutes=get_settings().session_timeout_minutes)
    return last is None or (now or utcnow()) - last > limit


def check_timeout() -> None:
    """Called on every full run: an idle, ended or deactivated session goes back to the login
    page; otherwise the user is read again (a new role shows at once) and the run counts as
    activity. (Auto-refresh fragments call guard_fragment instead, which
    does not count as activity.)"""
    if current() is None:
        return
    if expired():
        sign_out(t("app.session_expired", minutes=get_settings().session_timeout_minutes))
        return
    token = st.session_state.get(TOKEN_KEY)
    if token and not login_sessions.is_live(token):  # logged out in another tab, new password or role
        sign_out(t("app.session_ended"))
        return
    fresh = login_sessions.account(current().id)
    if fresh is None:
        sign_out(t("app.account_inactive"))
        return
    st.session_state[PRINCIPAL_KEY] = fresh
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
