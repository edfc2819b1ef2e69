"""Detail Kasus for WhatsApp: an attachment is fetched from Graph only when staff open it and
shown inertly (an image as an image; anything else only as a download); a shared location on
a map; the service refuses a message of another case."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import select

from collectors.wa_ingest import ingest_pending
from console.services import wa_media
from console.services.errors import NotFound, ServiceError
from store.db import read_session, write_session
from store.tables import Case, Mention, WhatsAppDelivery
from tests.collectors.fakes import FakeAPI, Reply
from tests.collectors.wa import body, delivery, message_of
from tests.console.conftest import no_exception
from tests.frozen import AT_NOON_WIB, NOON_WIB

pytestmark = AT_NOON_WIB
PAGE = "console/case.py"


def _jpeg() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "JPEG")
    return out.getvalue()


JPEG = _jpeg()


@pytest.fixture
def graph(monkeypatch):
    from store.settings import get_settings
    api = FakeAPI()
    monkeypatch.setenv("TANGGAP_WHATSAPP_ACCESS_TOKEN", "wa-token")
    monkeypatch.setenv("TANGGAP_WHATSAPP_GRAPH_URL", api.url + "/")
    get_settings.cache_clear()
    yield api
    api.close()


def _whatsapp_case(*kinds: str, mime: str = "image/jpeg") -> int:
    payloads = []
    for n, kind in enumerate(kinds):
        d = delivery(kind, wamid=f"wamid.page{n}", at=NOON_WIB - timedelta(minutes=30 - n))
        if kind == "image":
            message_of(d)["image"]["mime_type"] = mime
        payloads.append(d)
    with write_session() as s:
        for p in payloads:
            s.execute(insert(WhatsAppDelivery).values(body=body(p), received_at=NOON_WIB, state="pending"))
    ingest_pending(numbers={}, now=NOON_WIB, tagger=lambda texts: [None] * len(texts))
    with read_session() as s:
        return s.exec(select(Case.id)).one()


def test_an_image_is_fetched_only_when_opened_and_shown_as_an_image(app, make_user, graph, db):
    graph.add("/v25.0/65463453", Reply(body={"url": graph.url + "/lookaside/65463453", "mime_type": "image/jpeg"}))
    graph.add("/lookaside/65463453", Reply(body=JPEG, headers={"content-type": "image/jpeg"}))
    case_id = _whatsapp_case("image", "chosen_location")
    at = app(make_user("kominfo1", "komunikasi"), PAGE, case=case_id)
    no_exception(at)
    assert graph.requests == []  # nothing fetched before staff ask
    assert len(at.get("deck_gl_json_chart")) == 1  # st.map: the shared location
    [button] = [b for b in at.button if b.key and b.key.startswith("case_media_")]
    assert button.label == "Buka lampiran (image, image/jpeg)"
    button.click().run()
    no_exception(at)
    assert [p for p, _ in graph.requests] == ["/v25.0/65463453", "/lookaside/65463453"]
    assert len(at.get("image")) == 1


@pytest.mark.parametrize(("mime", "content"), [
    ("image/svg+xml", b"<svg onload=alert(1)>"),  # SVG can carry script: never shown inline
    ("image/jpeg", b"<html><script>alert(1)</script>"),  # says JPEG, is not one
])
def test_a_non_image_is_offered_only_as_a_download(app, make_user, graph, db, mime, content):
    graph.add("/v25.0/65463453", Reply(body={"url": graph.url + "/lookaside/x", "mime_type": mime}))
    graph.add("/lookaside/x", Reply(body=content, headers={"content-type": mime}))
    case_id = _whatsapp_case("image", mime=mime)
    at = app(make_user("kominfo1", "komunikasi"), PAGE, case=case_id)
    [button] = [b for b in at.button if b.key and b.key.startswith("case_media_")]
    button.click().run()
    no_exception(at)
    assert len(at.get("image")) == 0 and len(at.get("download_button")) == 1


def test_a_failed_fetch_is_said_in_indonesian(app, make_user, graph, db):
    graph.add("/v25.0/65463453", Reply(400, {"error": {"message": "Unsupported get request", "code": 100}}))
    case_id = _whatsapp_case("image")
    at = app(make_user("kominfo1", "komunikasi"), PAGE, case=case_id)
    [button] = [b for b in at.button if b.key and b.key.startswith("case_media_")]
    button.click().run()
    assert at.error[0].value.startswith("Lampiran WhatsApp tidak dapat diambil: WhatsApp refused the message")


def test_media_of_another_case_or_an_unreadable_case_is_not_found(make_user, make_case, graph, db):
    case_id = _whatsapp_case("image")
    with read_session() as s:
        mention_id = s.exec(select(Mention.id)).one()
    other = make_case("jalan rusak")
    staff = make_user("kominfo1", "komunikasi")
    with pytest.raises(NotFound):
        wa_media.open_media(staff, other.id, mention_id)
    with pytest.raises(ServiceError):  # an agency head of another agency may not read it
        wa_media.open_media(make_user("kadinkes", "kepala_dinas", agency="DINKES"), case_id, mention_id)
    assert graph.requests == []
