"""Done when: the regent's own reply on the (fake) X timeline stops the clock of the case it
answers, through `tanggap collect` as an operator runs it: `--source twitter` runs the
mentions and the own timeline side by side, in either order."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app
from store import sla
from store.db import read_session
from store.tables import Case, CaseEvent
from tests.collectors.fakes import Reply, mentions_page, recorded, tweet
from tests.collectors.own_posts import ACCOUNT, CITIZEN, MENTIONS, OWN, base_at, own_reply
from tests.frozen import AT_NOON_WIB, NOON_WIB

pytestmark = AT_NOON_WIB
runner = CliRunner()


def test_collect_twitter_logs_the_regents_reply_as_the_cases_first_response(settings_env, fake_api, db):
    settings_env(x_account="Twitter", x_bearer_token="test-token", x_api_base=fake_api.url, http_timeout=2)
    fake_api.add("/2/users/by/username/Twitter", recorded("test_client_get_user.yaml"))
    base = base_at(NOON_WIB - timedelta(minutes=50))
    complaint = tweet(1, "@Twitter jembatan di Songgon putus, warga tidak bisa lewat", base=base)
    reply = own_reply(20 * 60, complaint, "Tim BPBD menuju lokasi, terima kasih laporannya", base=base)
    fake_api.add(MENTIONS, Reply(body=mentions_page([complaint], users=[CITIZEN])))
    fake_api.add(OWN, Reply(body=mentions_page([reply], users=[ACCOUNT])))

    first = runner.invoke(app, ["collect", "--once", "--source", "twitter"])
    assert first.exit_code == 0, first.output
    assert "twitter: ok, fetched 1, inserted 1" in first.output and "twitter-own: ok, fetched 1" in first.output
    # Whichever ran first, the reply is on the case after the next run at the latest.
    fake_api.add(MENTIONS, Reply(body=mentions_page([])))
    fake_api.add(OWN, Reply(body=mentions_page([])))
    second = runner.invoke(app, ["collect", "--once", "--source", "twitter"])
    assert second.exit_code == 0, second.output

    with read_session() as s:
        [case] = s.exec(select(Case)).all()
        [response] = s.exec(select(CaseEvent).where(CaseEvent.action == "responded")).all()
    replied_at = datetime.fromisoformat(reply["created_at"])
    assert case.first_response_at == replied_at and response.actor_label == "@Twitter (X)"
    assert sla.clocks(case, NOON_WIB).acknowledgement.state == sla.SlaState.MET  # 20 minutes, within 60
