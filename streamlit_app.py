"""Tanggap console: routing only. Who is logged in decides which pages exist."""

import runpy
from pathlib import Path

import streamlit as st

from console import alert_list, session
from console.i18n import DEFAULT_LANGUAGE, LANG_KEY, LANGUAGES, t
from console.services import policy
from store.redaction import configure_logging

LOGIN_SCRIPT = Path(__file__).resolve().parent / "console" / "login.py"
PAGES = {  # name → (file, url path, icon)
    "triage": ("console/triage.py", "kotak-masuk", ":material/inbox:"),
    "case": ("console/case.py", "kasus", ":material/description:"),
    "incidents": ("console/incidents.py", "insiden", ":material/crisis_alert:"),
    "agency": ("console/agency.py", "antrian-dinas", ":material/apartment:"),
    "stats": ("console/stats.py", "statistik", ":material/monitoring:"),
    "export": ("console/export.py", "ekspor", ":material/download:"),
    "admin": ("console/admin.py", "admin", ":material/settings:"),
}

configure_logging()  # the console's own log lines go through the same redaction as the CLI's


def _login_at(path: str):
    def login_page() -> None:
        runpy.run_path(str(LOGIN_SCRIPT), run_name="__page__")
    login_page.__name__ = "login_" + path.replace("-", "_")
    return login_page


st.set_page_config(page_title="Tanggap", page_icon=":material/campaign:", layout="wide")
st.session_state.setdefault(LANG_KEY, session.language_from_cookie() or DEFAULT_LANGUAGE)
st.sidebar.selectbox(t("app.language"), list(LANGUAGES), format_func=LANGUAGES.get, key=LANG_KEY,
                     on_change=session.remember_language)

session.resume_from_cookie()
session.check_timeout()
principal = session.current()
if principal is None:
    # Every page's address leads to the login form, so a link to a case (kasus?case=304)
    # shared in a WhatsApp group opens that case once the reader has logged in.
    pages = [st.Page("console/login.py", title=t("page.login"), url_path="masuk", icon=":material/login:",
                     default=True)]
    pages += [st.Page(_login_at(path), title=t("page.login"), url_path=path) for _, path, _ in PAGES.values()]
else:
    role_pages = [st.Page(PAGES[name][0], title=t(f"page.{name}"), url_path=PAGES[name][1], icon=PAGES[name][2])
                  for name in policy.pages(principal)]

    def home() -> None:
        st.switch_page(role_pages[0])

    # Streamlit serves the default page only at the root, never at its own address, so the
    # default is this hidden step to the role's first page: every real page keeps an address
    # that survives a reload or a bookmark (antrian-dinas for an agency head).
    pages = [st.Page(home, title=t("app.title"), url_path="beranda", default=True, visibility="hidden"),
             *role_pages]
    st.sidebar.caption(t("app.signed_in_as", name=principal.display_name, role=t(f"role.{principal.role}")))
    if st.sidebar.button(t("app.logout"), key="app_logout", icon=":material/logout:"):
        session.sign_out(t("app.logged_out"))
        st.rerun()
    alert_list.render(principal)

page = st.navigation(pages, position="hidden" if principal is None else "sidebar")
if principal is None or page is not pages[0]:  # the home step only switches pages: nothing it draws is seen
    session.hand_cookies_to_browser()
    session.show_flash()
page.run()
