"""README's Replies section says what the code does: the shipped templates, the lease, the
backoff, the tries, the page's refresh, and that an import's reply is sent by hand."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from collectors import reply_sender
from console import reply_box
from console.services import replies
from store.replies import CLAIM_LEASE
from tests.replies.conftest import AT_DRAFT_TIME, send

pytestmark = AT_DRAFT_TIME
ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("\n## Replies\n"):README.index("\n## Collectors\n")]


def test_the_shipped_templates_are_the_ones_readme_names():
    migration = next((ROOT / "store" / "migrations" / "versions").glob("*_replies.py")).read_text(encoding="utf-8")
    shipped = re.findall(r'^    \("([a-z\-]+)", None, "', migration, flags=re.MULTILINE)
    named = re.findall(r"`([a-z]+(?:-[a-z]+)+)` \(", SECTION)
    assert len(shipped) == 4 and named == shipped


def test_the_numbers_readme_gives_are_the_codes():
    assert CLAIM_LEASE == timedelta(minutes=5) and "after five\nminutes" in SECTION
    assert reply_sender.MAX_UNKNOWN_OUTCOMES == 8 and "`failed` after 8 tries" in SECTION
    assert (reply_sender.BACKOFF_FIRST, reply_sender.BACKOFF_MAX) == (timedelta(seconds=30), timedelta(minutes=15))
    assert "30 s doubling, at most 15 minutes" in SECTION
    assert reply_box.REFRESH_SECONDS == 5 and "every five seconds" in SECTION
    assert replies.NEUTRAL_NOTE in SECTION.replace("\n  ", " ")


def test_an_imported_cases_reply_is_recorded_to_be_sent_by_hand(platforms, citizen_case, make_user):
    x, graph = platforms
    case = citizen_case("import", "lapor-17", author="Warga")
    view = replies.draft(make_user("ani"), case.id, "Sudah kami telepon.")
    assert (view.state, view.platform) == ("manual", "import")
    assert send().sent == 0 and x.posted == [] and graph.private == []
