"""AppTest helpers: the real entry script, with a logged-in user put in the session the way
the login page does it (login itself is tested through the form in test_login.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TIMEOUT = 30


@pytest.fixture
def app(db):
    """app(principal=None, page=None, **query) → an AppTest that has run once."""
    from console.session import LAST_SEEN_KEY, PRINCIPAL_KEY
    from store.types import utcnow

    def make(principal=None, page: str | None = None, **query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if principal is not None:
            at.session_state[PRINCIPAL_KEY] = principal
            at.session_state[LAST_SEEN_KEY] = utcnow()
        at.run()
        if page:
            at.query_params.update({k: str(v) for k, v in query.items()})
            at.switch_page(page).run()
        return at

    return make


def texts(at: AppTest) -> list[str]:
    """Every plain text, markdown, caption, alert and metric shown, for asserting on words."""
    out = []
    for kind in ("text", "markdown", "caption", "error", "warning", "info", "success", "title", "header",
                 "subheader"):
        out += [str(el.value) for el in getattr(at, kind)]
    out += [f"{m.label}: {m.value}" for m in at.metric]
    return out


def shown(at: AppTest, needle: str) -> bool:
    return any(needle in s for s in texts(at))


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
