"""The channels an alert goes out on. Each only delivers one text to one person and turns its
library's failures into two named errors: ``ChannelDown`` (try again later; the sender stops
using the channel for this pass, and the other channels go on) and ``Undeliverable`` (this
recipient cannot be reached this way; no retry).

- console: the in-console list is the outbox row itself; sending writes the worker's log line.
- telegram: the Bot API's sendMessage over plain HTTPS (requests), TANGGAP_TELEGRAM_API_BASE.
- email: smtplib with STARTTLS always (TANGGAP_SMTP_URL, smtp://user:password@host:587).
- sms: Gammu SMSD's outbox through collectors/gammu_outbox.py (idempotent by CreatorID).

Tokens never reach an error text: the bot token is in the URL, so every message is redacted.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

import requests
from sqlalchemy.exc import SQLAlchemyError

from collectors import gammu_outbox
from store.redaction import redact
from store.settings import Settings

log = logging.getLogger("tanggap.alerts")


class ChannelDown(Exception):
    """The channel cannot deliver now (network, server, credentials): retry with backoff."""


class Undeliverable(Exception):
    """This recipient cannot be reached on this channel (a chat that does not exist)."""


@dataclass(frozen=True)
class Recipient:
    username: str
    mobile: str | None
    email: str | None
    telegram_chat_id: str | None


class Channel(Protocol):
    name: str
    # Whether sending the same alert twice reaches the person once (a crash between sending
    # and recording it then costs nothing, so the sender need not record "sending" first).
    idempotent: bool

    def send(self, alert_id: int, to: Recipient, subject: str, text: str) -> None: ...


class ConsoleChannel:
    name, idempotent = "console", True

    def send(self, alert_id: int, to: Recipient, subject: str, text: str) -> None:
        log.info("alert %s to %s: %s", alert_id, to.username, subject)


class TelegramChannel:
    name, idempotent = "telegram", False

    def __init__(self, api_base: str, token: str, timeout: float):
        self._url = f"{api_base.rstrip('/')}/bot{token}/sendMessage"
        self._token, self._timeout = token, timeout
        self._http = requests.Session()

    def send(self, alert_id: int, to: Recipient, subject: str, text: str) -> None:
        if not to.telegram_chat_id:
            raise Undeliverable(f"{to.username} has no Telegram chat id")
        try:
            response = self._http.post(self._url, json={"chat_id": to.telegram_chat_id, "text": text,
                                                        "disable_web_page_preview": True}, timeout=self._timeout)
        except requests.RequestException as exc:
            raise ChannelDown(self._safe(f"Telegram unreachable: {exc}")) from None
        if response.status_code == 200:
            return
        description = self._safe(_description(response))
        if response.status_code in (400, 403):  # no such chat, or the person blocked the bot
            raise Undeliverable(f"Telegram refused chat {to.telegram_chat_id}: {description}")
        raise ChannelDown(f"Telegram answered {response.status_code}: {description}")

    def _safe(self, text: str) -> str:
        return redact(text, (self._token,))[:300]


def _description(response: requests.Response) -> str:
    try:
        return str(response.json().get("description", ""))
    except ValueError:
        return response.text[:200]


class EmailChannel:
    name, idempotent = "email", False

    def __init__(self, smtp_url: str, sender: str, timeout: float):
        parts = urlsplit(smtp_url)
        self._host, self._port = parts.hostname or "localhost", parts.port or 587
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._sender, self._timeout = sender, timeout

    def send(self, alert_id: int, to: Recipient, subject: str, text: str) -> None:
        if not to.email:
            raise Undeliverable(f"{to.username} has no email address")
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, to.email, subject
        message["Message-ID"] = f"<tanggap-alert-{alert_id}@{self._sender.partition('@')[2] or 'localhost'}>"
        message.set_content(text)
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise ChannelDown(f"{self._host} does not offer STARTTLS; alerts are not sent in clear text")
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
                if self._user:
                    smtp.login(self._user, self._password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise Undeliverable(f"the mail server refused {to.email}: {exc}"[:300]) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelDown(redact(f"mail server {self._host}: {exc}", (self._password or "",))[:300]) from None


class SmsChannel:
    name, idempotent = "sms", True  # Gammu's CreatorID: queueing the same alert twice queues it once

    def __init__(self, gammu_url: str):
        self._url = gammu_url

    def send(self, alert_id: int, to: Recipient, subject: str, text: str) -> None:
        if not to.mobile:
            raise Undeliverable(f"{to.username} has no mobile number")
        try:
            gammu_outbox.queue_sms(gammu_outbox.gammu_engine(self._url), to.mobile, text, f"tanggap-alert-{alert_id}")
        except SQLAlchemyError as exc:  # Gammu's database: the channel is down, not the worker
            raise ChannelDown(redact(f"Gammu outbox: {type(exc).__name__}: {exc}")[:300]) from None
        except ValueError as exc:  # a text longer than 255 parts
            raise Undeliverable(str(exc)) from None


def configured(settings: Settings) -> dict[str, Channel]:
    """The channels the settings configure; the console list always."""
    channels: dict[str, Channel] = {"console": ConsoleChannel()}
    if settings.telegram_bot_token:
        channels["telegram"] = TelegramChannel(settings.telegram_api_base,
                                               settings.telegram_bot_token.get_secret_value(), settings.http_timeout)
    if settings.smtp_url:
        channels["email"] = EmailChannel(settings.smtp_url, settings.smtp_from, settings.http_timeout)
    if settings.sms_gammu_url:
        channels["sms"] = SmsChannel(settings.sms_gammu_url)
    return channels
