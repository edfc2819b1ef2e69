"""A WhatsApp attachment as staff open it: its reference (kept with the mention) and, on
request only, the file itself fetched from Graph (collectors/wa_send.py), never stored.

Tanggap keeps no media bytes: the case holds the media id, mime type and caption, and the
file is fetched again each time someone opens it (Meta keeps media for 30 days), so nothing
outlives what the case itself keeps. Reading needs the right to read the case.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from console.services import policy
from console.services.auth import Principal, refresh_principal
from console.services.errors import NotFound, ServiceError
from console.services.policy import Action
from store.db import read_session
from store.settings import get_settings
from store.tables import Case, Mention

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")  # shown as images; anything else is a download


@dataclass(frozen=True)
class Attachment:
    mention_id: int
    kind: str  # image, video, document, audio, sticker
    mime_type: str
    # The caption is the mention's text (masked like any text); the file name is not shown.

    @property
    def shown_as_image(self) -> bool:
        return self.mime_type in IMAGE_TYPES


@dataclass(frozen=True)
class Place:
    """Coordinates only: the place's name and address are in the mention's text."""
    latitude: float
    longitude: float


def is_image(content: bytes, mime_type: str) -> bool:
    """Shown as an image only when WhatsApp says it is one of IMAGE_TYPES and Pillow can read
    it as one (a broken or disguised file is offered as a download instead)."""
    if mime_type not in IMAGE_TYPES:
        return False
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def attachment_of(mention_id: int, raw: dict[str, Any] | None) -> Attachment | None:
    media = (raw or {}).get("media")
    if not isinstance(media, dict) or not isinstance(media.get("mime_type"), str):
        return None
    return Attachment(mention_id, str(media.get("kind")), media["mime_type"])


def place_of(raw: dict[str, Any] | None) -> Place | None:
    """A location a citizen shared (coordinates as WhatsApp sent them; no kecamatan is derived)."""
    loc = (raw or {}).get("location")
    if not isinstance(loc, dict):
        return None
    return Place(float(loc["latitude"]), float(loc["longitude"]))


def open_media(principal: Principal, case_id: int, mention_id: int) -> tuple[bytes, str]:
    """(content, mime type) of a mention's attachment, fetched now from Graph."""
    from collectors.errors import CollectorError
    from collectors.wa_send import WhatsAppSender
    with read_session() as session:
        principal = refresh_principal(session, principal)
        case = session.get(Case, case_id)
        mention = session.get(Mention, mention_id)
        if case is None or mention is None or mention.case_id != case_id:
            raise NotFound(f"case {case_id} has no message {mention_id}")
        policy.require(principal, Action.READ, policy.facts(session, case))
        raw = dict(mention.raw or {})
    media = raw.get("media") or {}
    if not media.get("id"):
        raise NotFound(f"message {mention_id} has no attachment")
    try:
        sender = WhatsAppSender.from_settings(get_settings(), str(raw.get("phone_number_id")))
        fetched = sender.fetch_media(str(media["id"]))
    except CollectorError as exc:
        raise ServiceError(f"the WhatsApp attachment could not be fetched: {exc}", "whatsapp_media",
                           reason=str(exc)) from exc
    return fetched.content, fetched.mime_type
