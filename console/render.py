"""Untrusted social-media text, shown inert.

Mentions, author names and handles come from strangers. They are shown only through
``st.text`` (no Markdown, HTML, LaTeX, emoji shortcodes or autolinks) or as dataframe
cells (plain text), never in a widget label or ``st.markdown``. The only link on a
mention is our own "Buka di platform" button, built from the stored permalink and only
when it is https on the platform's own host.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import streamlit as st

from console.i18n import t

PLATFORM_HOSTS = {
    "twitter": {"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com", "mobile.x.com"},
    "facebook": {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com", "mbasic.facebook.com"},
}
EXCERPT_CHARS = 120
# Bidirectional overrides and isolates can make text display as something it is not.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Drop control characters (except newlines and tabs) and bidi overrides."""
    if not text:
        return ""
    text = text.translate(_BIDI)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    """One line for a table cell."""
    flat = _SPACE.sub(" ", clean(text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def untrusted_text(text: str | None, container=None) -> None:
    """Show a message as plain text."""
    (container or st).text(clean(text) or "—", width="stretch")


def safe_permalink(platform: str, url: str | None) -> str | None:
    """The permalink if it is https on the platform's own host, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        return None
    if host not in PLATFORM_HOSTS.get(platform, set()):
        return None
    return parts.geturl()


def platform_link(platform: str, url: str | None, key: str, container=None) -> None:
    """Our own "Buka di platform" link, or a note that there is none (SMS, imports)."""
    target = container or st
    safe = safe_permalink(platform, url)
    if safe:
        target.link_button(t("case.open_on_platform"), safe, key=key, icon=":material/open_in_new:")
    else:
        target.caption(t("case.no_link"))
