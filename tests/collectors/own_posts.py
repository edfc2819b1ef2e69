"""Shared by the own-timeline tests: the recorded @Twitter account (id 783214) standing in for
the regent's, its routes on the local X server, and posts as X sends them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from collectors.normalize import TWITTER_EPOCH_MS, snowflake_time
from collectors.poller import Poller
from collectors.sources import XSource
from store.db import read_session
from store.tables import CaseEvent, Mention
from tests.collectors.fakes import Reply, mentions_page, recorded, tweet

ACCOUNT_ID = "783214"  # @Twitter in the recorded get_user
MENTIONS = f"/2/users/{ACCOUNT_ID}/mentions"
OWN = f"/2/users/{ACCOUNT_ID}/tweets"
SEARCH = "/2/tweets/search/recent"
RECORDED_NEXT = "7140dibdnow9c7btw4232poeq0wapgnwgwqwvuwn3peex"  # the recorded own timeline's next page
CITIZEN = {"id": "100", "username": "warga_bwi", "name": "Warga Glagah"}
ACCOUNT = {"id": ACCOUNT_ID, "username": "Twitter", "name": "Bupati"}


def x_settings_for(settings_env, fake_api):
    fake_api.add("/2/users/by/username/Twitter", recorded("test_client_get_user.yaml"))
    return settings_env(x_account="Twitter", x_bearer_token="test-token", x_api_base=fake_api.url,
                        x_search_query="banyuwangi -is:retweet", http_timeout=2, x_monthly_read_budget=1000)


def run(settings, clock, *names):
    return Poller([XSource(n, settings) for n in names], clock=clock, sleep=clock.sleep).run_once()


def own_reply(n: int, to: dict, text: str = "Terima kasih, sudah kami teruskan ke Dinas PU.", **base) -> dict:
    """The account's reply to ``to`` as X sends it with the fields Tanggap asks for."""
    post = tweet(n, text, author=ACCOUNT_ID, conversation=int(to["conversation_id"]), **base)
    post.update(created_at=snowflake_time(int(post["id"])).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                in_reply_to_user_id=to["author_id"], referenced_tweets=[{"type": "replied_to", "id": to["id"]}])
    return post


def citizen_case(fake_api, x_settings, clock) -> dict:
    """A citizen's mention stored through the mentions source, opening a case."""
    complaint = tweet(1, "@Twitter jalan di Glagah rusak parah, mohon diperbaiki")
    fake_api.add(MENTIONS, Reply(body=mentions_page([complaint], users=[CITIZEN])))
    assert run(x_settings, clock, "twitter")[0].inserted == 1
    return complaint


def responses() -> list[CaseEvent]:
    with read_session() as s:
        return list(s.exec(select(CaseEvent).where(CaseEvent.action == "responded")).all())


def mention_ids() -> list[str]:
    with read_session() as s:
        return list(s.exec(select(Mention.external_id)).all())


def base_at(when: datetime) -> int:
    """A tweet id base whose tweet(n) is posted n seconds after ``when`` (X's snowflake ids)."""
    return (int(when.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22
