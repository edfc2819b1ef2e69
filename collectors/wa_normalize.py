"""WhatsApp webhook deliveries (Cloud API, ``field: messages``) into Mentions and statuses.

One pure function per message kind, chosen from a dispatch table; each returns a Mention or
raises PayloadError naming the kind and the field. A kind that is neither in the table nor
in IGNORED_KINDS raises UnknownKind, so a new kind Meta starts sending fails loudly (the
delivery is marked failed with the kind named) instead of vanishing.

A delivery is read whole (``read_delivery``): every message becomes a Mention or an error of
its own, so one bad message never hides the others of the same delivery.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from collectors.errors import PayloadError
from collectors.mention import Mention, normalize_phone
from collectors.plausible import not_future, plain_text

MAX_KEY = 128

# Deliberately not ingested, and why.
IGNORED_KINDS: dict[str, str] = {
    "system": "a notice from WhatsApp (the customer changed number), not something the citizen wrote",
    "order": "a catalogue order; Tanggap has no catalogue",
    "contacts": "a shared contact card holds third parties' names and numbers, not a report",
    "revoke": "the citizen deleted a message; what was already received stays on the case",
    "ephemeral": "a disappearing message WhatsApp does not pass on",
    "request_welcome": "the citizen opened the chat for the first time; nothing was written yet",
}
# Webhook fields other than "messages" that the app may be subscribed to, and why they are left.
IGNORED_FIELDS: dict[str, str] = {
    "message_template_status_update": "template review results are read in Meta's dashboard",
    "message_template_quality_update": "template quality is read in Meta's dashboard",
    "phone_number_quality_update": "number quality is read in Meta's dashboard",
    "phone_number_name_update": "display-name review is read in Meta's dashboard",
    "account_update": "account changes are read in Meta's dashboard",
    "account_review_update": "account review is read in Meta's dashboard",
    "smb_message_echoes": "replies go through Tanggap's outbox; the Business app's echoes are not ours to log",
}


class UnknownKind(PayloadError):
    """A message kind (or webhook field) neither normalised nor deliberately ignored."""


@dataclass(frozen=True)
class Line:
    """The business number a delivery came in on, and the sender's profile names."""
    phone_number_id: str
    display_number: str | None
    names: Mapping[str, str]


@dataclass(frozen=True)
class StatusUpdate:
    wamid: str
    status: str  # sent, delivered, read, failed …
    happened_at: datetime
    recipient: str | None
    error: str | None


@dataclass
class Delivery:
    mentions: list[Mention] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    errors: list[PayloadError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # "kind: reason", for the log


# --- typed reads --------------------------------------------------------------------

def _mapping(kind: str, name: str, value: Any) -> Mapping:
    if not isinstance(value, Mapping):
        raise PayloadError(kind, name, f"must be an object, got {type(value).__name__}")
    return value


def _list(kind: str, name: str, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(kind, name, f"must be a list, got {type(value).__name__}")
    return value


def _str(kind: str, data: Mapping, key: str, *, required: bool = True, limit: int | None = None) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise PayloadError(kind, key, "is missing")
        return None
    if not isinstance(value, str):
        raise PayloadError(kind, key, f"must be a string, got {type(value).__name__}")
    value = value.replace("\x00", "").strip()
    if not value and required:
        raise PayloadError(kind, key, "is empty")
    if limit and len(value) > limit:
        raise PayloadError(kind, key, f"is longer than {limit} characters")
    return value or None


def _number(kind: str, data: Mapping, key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(kind, key, "must be a number")
    return float(value)


def _epoch(kind: str, data: Mapping, key: str = "timestamp") -> datetime:
    value = _str(kind, data, key)
    if not value or not value.isdigit() or len(value) > 12:
        raise PayloadError(kind, key, f"is not a Unix time: {str(value)[:20]!r}")
    return not_future(kind, key, datetime.fromtimestamp(int(value), tz=UTC))


# --- one function per message kind ---------------------------------------------------

def _base(kind: str, msg: Mapping, line: Line, text: str, extra: Mapping[str, Any] | None = None,
          in_reply_to: str | None = None) -> Mention:
    """What every kind shares: the sender as +number, the wamid, the time and the thread
    (one sender's messages, joined into cases by the 24-hour rule, as SMS)."""
    wamid = _str(kind, msg, "id", limit=MAX_KEY)
    wa_id = _str(kind, msg, "from", limit=32) or ""
    if not wa_id.isdigit():
        raise PayloadError(kind, "from", f"is not a WhatsApp number: {wa_id[:20]!r}")
    sender = normalize_phone("+" + wa_id)
    context = msg.get("context")
    if in_reply_to is None and context is not None:
        in_reply_to = _str(kind, _mapping(kind, "context", context), "id", required=False, limit=MAX_KEY)
    raw = {"message": dict(msg), "phone_number_id": line.phone_number_id,
           "display_phone_number": line.display_number, **(extra or {})}
    return Mention(platform="whatsapp", external_id=wamid or "", text=text, created_at=_epoch(kind, msg),
                   author_id=sender, author_handle=sender, author_name=line.names.get(wa_id),
                   thread_key=f"wa:{sender}", in_reply_to=in_reply_to, raw=raw)


def from_wa_text(msg: Mapping, line: Line) -> Mention:
    kind = "whatsapp.text"
    body = _str(kind, _mapping(kind, "text", msg.get("text")), "body")
    return _base(kind, msg, line, body or "")


MEDIA_PLACEHOLDERS = {"image": "[gambar]", "video": "[video]", "document": "[dokumen]",
                      "audio": "[audio]", "sticker": "[stiker]"}


def from_wa_media(msg: Mapping, line: Line) -> Mention:
    """An image, video, document, audio or sticker: kept as a reference (media id, mime type,
    caption); the file is fetched from Graph only when staff open it (collectors/wa_send.py)."""
    media_kind = _str("whatsapp.media", msg, "type") or ""
    kind = f"whatsapp.{media_kind}"
    media = _mapping(kind, media_kind, msg.get(media_kind))
    reference = {"kind": media_kind, "id": _str(kind, media, "id", limit=MAX_KEY),
                 "mime_type": _str(kind, media, "mime_type", limit=MAX_KEY),
                 "caption": _str(kind, media, "caption", required=False),
                 "filename": _str(kind, media, "filename", required=False, limit=255)}
    placeholder = MEDIA_PLACEHOLDERS[media_kind]
    if media_kind == "audio" and media.get("voice") is True:
        placeholder = "[pesan suara]"
    text = reference["caption"] or (f"{placeholder} {reference['filename']}" if reference["filename"] else placeholder)
    return _base(kind, msg, line, text, {"media": reference})


def from_wa_location(msg: Mapping, line: Line) -> Mention:
    """A shared location: kept with the mention (and so the case) for the map on the case page."""
    kind = "whatsapp.location"
    loc = _mapping(kind, "location", msg.get("location"))
    lat, lon = _number(kind, loc, "latitude"), _number(kind, loc, "longitude")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise PayloadError(kind, "latitude", f"({lat}, {lon}) is not a place on Earth")
    name, address = _str(kind, loc, "name", required=False), _str(kind, loc, "address", required=False)
    where = ", ".join(p for p in (name, address) if p) or f"{lat:.5f}, {lon:.5f}"
    location = {"latitude": lat, "longitude": lon, "name": name, "address": address}
    return _base(kind, msg, line, f"[lokasi] {where}", {"location": location})


def from_wa_interactive(msg: Mapping, line: Line) -> Mention:
    """A tap on a reply button or a list row of one of our interactive messages."""
    kind = "whatsapp.interactive"
    data = _mapping(kind, "interactive", msg.get("interactive"))
    chosen_kind = _str(kind, data, "type")
    if chosen_kind not in ("button_reply", "list_reply"):
        raise UnknownKind(kind, "type", f"{str(chosen_kind)[:40]!r} is not a button or list reply")
    chosen = _mapping(kind, chosen_kind, data.get(chosen_kind))
    title = _str(kind, chosen, "title") or ""
    description = _str(kind, chosen, "description", required=False)
    text = f"{title} — {description}" if description else title
    return _base(kind, msg, line, text, {"choice": {"id": _str(kind, chosen, "id", required=False), "title": title}})


def from_wa_button(msg: Mapping, line: Line) -> Mention:
    """A quick-reply button of a template message."""
    kind = "whatsapp.button"
    button = _mapping(kind, "button", msg.get("button"))
    return _base(kind, msg, line, _str(kind, button, "text") or "")


def from_wa_reaction(msg: Mapping, line: Line) -> Mention | None:
    """An emoji on a message: kept on the sender's thread. Removing a reaction (an empty
    emoji) is ignored: nothing new was said."""
    kind = "whatsapp.reaction"
    reaction = _mapping(kind, "reaction", msg.get("reaction"))
    emoji = _str(kind, reaction, "emoji", required=False, limit=32)
    if emoji is None:
        return None
    target = _str(kind, reaction, "message_id", limit=MAX_KEY)
    return _base(kind, msg, line, f"[reaksi {emoji}]", in_reply_to=target)


def from_wa_unsupported(msg: Mapping, line: Line) -> Mention:
    """A message WhatsApp could not pass on (Meta's error 131051): the citizen did write, so
    staff see that they did and can ask again."""
    return _base("whatsapp.unsupported", msg, line, "[pesan yang tidak didukung WhatsApp]")


Normaliser = Callable[[Mapping, Line], Mention | None]
NORMALISERS: dict[str, Normaliser] = {
    "text": from_wa_text,
    **{kind: from_wa_media for kind in MEDIA_PLACEHOLDERS},
    "location": from_wa_location,
    "interactive": from_wa_interactive,
    "button": from_wa_button,
    "reaction": from_wa_reaction,
    "unsupported": from_wa_unsupported,
}


def from_wa_message(msg: Any, line: Line) -> Mention | None:
    """Any message: its kind's normaliser. None for a reaction removed."""
    message = _mapping("whatsapp.message", "message", msg)
    plain_text("whatsapp.message", message)
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in NORMALISERS:
        raise UnknownKind("whatsapp.message", "type", f"{str(kind)[:40]!r} is not a kind Tanggap reads")
    return NORMALISERS[kind](message, line)


def from_wa_status(status: Any) -> StatusUpdate:
    kind = "whatsapp.status"
    s = _mapping(kind, "status", status)
    errors = [_mapping(kind, "errors[]", e) for e in _list(kind, "errors", s.get("errors"))]
    error = "; ".join(f"{e.get('code')}: {e.get('title') or e.get('message')}" for e in errors) or None
    return StatusUpdate(wamid=_str(kind, s, "id", limit=MAX_KEY) or "", status=_str(kind, s, "status", limit=16) or "",
                        happened_at=_epoch(kind, s), recipient=_str(kind, s, "recipient_id", required=False, limit=32),
                        error=error)


# --- a whole delivery -----------------------------------------------------------------

def read_delivery(body: bytes) -> Delivery:
    """Every message and status of one delivery. A body that is not a WhatsApp delivery at
    all raises PayloadError; a bad or unknown message becomes an error of its own."""
    kind = "whatsapp.delivery"
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(kind, "body", f"is not JSON: {exc}") from None
    payload = _mapping(kind, "body", payload)
    if payload.get("object") != "whatsapp_business_account":
        raise UnknownKind(kind, "object", f"{str(payload.get('object'))[:40]!r} is not whatsapp_business_account")
    out = Delivery()
    for entry in _list(kind, "entry", payload.get("entry")):
        for change in _list(kind, "changes", _mapping(kind, "entry[]", entry).get("changes")):
            _read_change(_mapping(kind, "changes[]", change), out)
    return out


def _read_change(change: Mapping, out: Delivery) -> None:
    kind = "whatsapp.delivery"
    name = change.get("field")
    if name in IGNORED_FIELDS:
        out.ignored.append(f"field {name}: {IGNORED_FIELDS[name]}")
        return
    if name != "messages":
        out.errors.append(UnknownKind(kind, "field", f"{str(name)[:40]!r} is not a webhook field Tanggap reads"))
        return
    value = _mapping(kind, "value", change.get("value"))
    metadata = _mapping(kind, "metadata", value.get("metadata"))
    names = {}
    for contact in _list(kind, "contacts", value.get("contacts")):
        contact = _mapping(kind, "contacts[]", contact)
        profile = contact.get("profile")
        name_ = _str(kind, profile, "name", required=False) if isinstance(profile, Mapping) else None
        if isinstance(contact.get("wa_id"), str) and name_:
            names[contact["wa_id"]] = name_
    line = Line(phone_number_id=_str(kind, metadata, "phone_number_id", limit=64) or "",
                display_number=_str(kind, metadata, "display_phone_number", required=False, limit=32), names=names)
    for msg in _list(kind, "messages", value.get("messages")):
        kind_ = msg.get("type") if isinstance(msg, Mapping) else None
        if kind_ in IGNORED_KINDS:
            out.ignored.append(f"{kind_}: {IGNORED_KINDS[kind_]}")
            continue
        try:
            mention = from_wa_message(msg, line)
        except PayloadError as exc:
            out.errors.append(exc)
            continue
        if mention is None:
            out.ignored.append("reaction removed: nothing new was said")
        else:
            out.mentions.append(mention)
    for status in _list(kind, "statuses", value.get("statuses")):
        try:
            out.statuses.append(from_wa_status(status))
        except PayloadError as exc:
            out.errors.append(exc)
