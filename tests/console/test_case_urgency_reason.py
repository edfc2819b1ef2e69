"""Staff see why the classifier raised or lowered a case's urgency: the reason kept in the
'opened' event is shown in the timeline in the user's language."""

from datetime import UTC, datetime

from store.cases import Actor, CaseTags, load_targets
from store.db import write_session
from store.intake import open_case
from store.tables import Mention
from tests.console.conftest import no_exception

REASON = {"id": "menurunkan: kejadian sudah selesai — 'sudah dibawa ke rumah sakit'",
          "en": "lowered: the event is over — 'sudah dibawa ke rumah sakit'"}


def test_the_timeline_says_why_the_urgency_was_lowered(app, make_user):
    staff = make_user("kominfo1", "komunikasi")
    with write_session() as session:
        mention = Mention(platform="twitter", external_id="r1", text="anak kejang tadi, sudah dibawa ke rumah sakit",
                          created_at=datetime(2026, 11, 29, 11, 41, tzinfo=UTC), author_handle="warga",
                          thread_key="r1", raw={})
        session.add(mention)
        case = open_case(session, mention, CaseTags(category="kesehatan", urgency="tinggi", urgency_reason=REASON),
                         load_targets(session), Actor(None, "system:test"))
    at = app(staff, "console/case.py", case=case.id)
    no_exception(at)
    timeline = at.dataframe[-1].value
    assert REASON["id"] in list(timeline.iloc[:, -1])
