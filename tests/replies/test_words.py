"""Every way a reply can fail has words in Indonesian and English, and a refused token is
read again for the next reply."""

from __future__ import annotations

import re
from pathlib import Path

from collectors.facebook_replies import REFUSED
from collectors.reply_sender import ReplySender
from console.i18n import EN, ID
from console.services import replies
from store.settings import get_settings
from tests.collectors.fakes import Reply as Answer
from tests.replies.conftest import AT_DRAFT_TIME, SENDER_PASS

pytestmark = AT_DRAFT_TIME
ROOT = Path(__file__).resolve().parents[2]


def test_every_reply_failure_code_has_words_in_both_languages():
    codes = set(REFUSED.values()) | {"fb_refused"}
    for path in (ROOT / "collectors").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'ReplyRefused\(\s*"([a-z_0-9]+)"', source))
        codes |= set(re.findall(r'Outcome\("failed", code="([a-z_]+)"', source))
    assert len(codes) >= 12, codes  # the patterns still find them
    assert sorted(c for c in codes if f"reply_error.{c}" not in ID or f"reply_error.{c}" not in EN) == []


def test_a_refused_token_is_read_again_for_the_next_reply(platforms, citizen_case, make_user, monkeypatch):
    x, _ = platforms
    case = citizen_case()
    replies.draft(make_user("ani"), case.id, "Laporan diterima.")
    x.fail_next(Answer(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}))
    sender = ReplySender(get_settings())
    assert sender.run_once(SENDER_PASS).failed == 1
    monkeypatch.setenv("TANGGAP_X_ACCESS_TOKEN", "the-new-token")
    assert "twitter" not in sender.channels
    replies.draft(make_user("budi"), case.id, "Laporan diterima, terima kasih.")
    assert sender.run_once(SENDER_PASS).sent == 1  # its channel built with the settings read again
    assert sender.settings.x_access_token.get_secret_value() == "the-new-token"
