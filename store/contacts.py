"""Where alerts reach a staff member: mobile number, email, Telegram chat, chosen channels.

Each value is checked and put in one stored form here, whoever writes it (the Admin page,
``tanggap user edit``): the mobile number as E.164 read with the ``phonenumbers`` library
for region ID (so 0812-3456-7890, +62 812 3456 7890 and 62812… are one number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from store.errors import ExplainedError
from store.vocabulary import ALERT_CHANNELS

REGION = "ID"
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# A Telegram chat id is a number (negative for groups); a public channel may be @name.
_TELEGRAM = re.compile(r"^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")
# The channels a person chooses; the in-console list is always on, so it is never stored.
CHOOSABLE = tuple(c for c in ALERT_CHANNELS if c != "console")
NEEDS = {"email": "email", "telegram": "telegram_chat_id", "sms": "mobile"}


class ContactError(ExplainedError):
    """A contact value Tanggap cannot use; the message says which and why."""


@dataclass(frozen=True)
class Contacts:
    mobile: str | None = None
    email: str | None = None
    telegram_chat_id: str | None = None
    channels: tuple[str, ...] = ()

    def stored_channels(self) -> str:
        return ",".join(self.channels)


def mobile_e164(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    try:
        number = phonenumbers.parse(value.strip(), REGION)
    except phonenumbers.NumberParseException as exc:
        raise ContactError(f"mobile number {value[:40]!r} cannot be read", "contact_mobile") from exc
    if not phonenumbers.is_valid_number(number):
        raise ContactError(f"mobile number {value[:40]!r} is not a valid number", "contact_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def checked(mobile: str | None, email: str | None, telegram_chat_id: str | None,
            channels: list[str] | tuple[str, ...] | str | None) -> Contacts:
    """The contacts in their stored form; a channel needs its contact (sms a mobile, …)."""
    email = (email or "").strip() or None
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        raise ContactError(f"email {email[:60]!r} is not an address", "contact_email")
    chat = (telegram_chat_id or "").strip() or None
    if chat and not _TELEGRAM.match(chat):
        raise ContactError(f"Telegram chat id {chat[:40]!r}: a number, or @channel", "contact_telegram")
    if isinstance(channels, str):
        channels = [c for c in channels.split(",")]
    chosen = tuple(dict.fromkeys(c.strip().lower() for c in channels or () if c.strip()))
    for channel in chosen:
        if channel not in CHOOSABLE:
            raise ContactError(f"unknown channel {channel!r}; use {', '.join(CHOOSABLE)}", "contact_channel",
                               channel=channel)
    found = Contacts(mobile_e164(mobile), email, chat, chosen)
    for channel in chosen:
        if getattr(found, NEEDS[channel]) is None:
            raise ContactError(f"channel {channel} needs a {NEEDS[channel]}", "contact_channel_needs",
                               channel=channel)
    return found


def chosen_channels(stored: str | None) -> tuple[str, ...]:
    return tuple(c for c in (stored or "").split(",") if c in CHOOSABLE)
