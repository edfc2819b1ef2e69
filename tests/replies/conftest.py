"""Cases a citizen opened on X, Facebook or by SMS, the fake platforms, and the settings that
point the reply sender at them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.collectors.fakes import FakeAPI
from tests.console.conftest import app  # noqa: F401  (fixture: the console under AppTest)
from tests.replies.platforms import PAGE, FakeGraph, FakeX

# The citizen wrote at 18:41 WIB; staff reply at 19:00 WIB (the clock is frozen there); the
# fake platforms stamp posts from 19:10 WIB; the sender's pass runs at 19:15 WIB.
WROTE = datetime(2026, 11, 29, 11, 41, tzinfo=UTC)
DRAFTED = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SENDER_PASS = datetime(2026, 11, 29, 12, 15, tzinfo=UTC)
TWEET = "1597000000000000001"
FB_COMMENT = "5550001_7770001"
NUMBER = "+6281234567890"
AT_DRAFT_TIME = pytest.mark.time_machine(DRAFTED, tick=False)


@pytest.fixture
def fake_api():
    api = FakeAPI()
    yield api
    api.close()


@pytest.fixture
def platforms(fake_api, monkeypatch, db):
    """(FakeX, FakeGraph) with the settings of both pointing at them."""
    env = {"X_CONSUMER_KEY": "ck", "X_CONSUMER_SECRET": "cs", "X_ACCESS_TOKEN": "at", "X_ACCESS_TOKEN_SECRET": "ats",
           "X_API_BASE": fake_api.url, "FACEBOOK_PAGE_ID": PAGE, "FACEBOOK_PAGE_TOKEN": "page-token",
           "FACEBOOK_GRAPH_URL": fake_api.url + "/", "HTTP_TIMEOUT": "5"}
    for key, value in env.items():
        monkeypatch.setenv(f"TANGGAP_{key}", value)
    from store.settings import get_settings
    get_settings.cache_clear()
    return FakeX(fake_api), FakeGraph(fake_api, FB_COMMENT)


@pytest.fixture
def citizen_case(db):
    """A case opened by one citizen message: citizen_case(platform, external_id, author)."""
    from store.cases import Actor, CaseTags, load_targets
    from store.db import write_session
    from store.intake import open_case
    from store.tables import Mention

    def make(platform: str = "twitter", external_id: str = TWEET, author: str = "warga_bwi",
             text: str = "jalan berlubang di Genteng", category: str | None = None):
        with write_session() as session:
            mention = Mention(platform=platform, external_id=external_id, text=text, created_at=WROTE,
                              author_id=author, author_handle=author, thread_key=f"{platform}:{external_id}")
            session.add(mention)
            session.flush()
            tags = CaseTags(category=category, urgency="sedang") if category else None
            return open_case(session, mention, tags, load_targets(session), Actor(None, "system:test"))

    return make


def send(now: datetime = SENDER_PASS, **kwargs):
    """One pass of the worker's reply sender."""
    from collectors.reply_sender import ReplySender
    from store.settings import get_settings
    return ReplySender(get_settings(), **kwargs).run_once(now)
