"""Sends WhatsApp messages and fetches media through the Cloud API (Graph); nothing else.

``POST /{phone-number-id}/messages`` sends a free-form text (inside the customer-service
window, collectors/wa_window.py) or an approved template (outside it). ``GET /{media-id}``
then the URL it returns fetch a file a citizen sent, only when staff open it; the file is
never stored. Graph errors become the collectors' named errors, as for the Facebook source
(collectors/facebook.py): 190 stops until the token is replaced, rate limits back off,
transient codes and 5xx retry; 131047 (the window has closed) is OutsideWindow, so the
caller can send the template instead; anything else is SendRejected and not retried.

The outbox (the reply sender) owns retries and their idempotency: Graph has no idempotency
key, so a send that timed out may have been delivered (its status arrives by webhook).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from collectors.errors import AuthFailed, CollectorError, RateLimited, TemporarilyUnavailable
from store.settings import Settings, is_loopback_host

RATE_LIMIT_CODES = {4, 80007, 130429, 131048, 131056}
TRANSIENT_CODES = {1, 2, 131000, 131016, 133004}
AUTH_CODES = {0, 190}
OUTSIDE_WINDOW = 131047
MAX_MEDIA_BYTES = 100 * 1024 * 1024  # WhatsApp's own limit for documents
# Hosts Graph's media URLs point at; the token is sent to no other (except loopback in tests).
MEDIA_HOSTS = (".fbsbx.com", ".facebook.com", ".whatsapp.net")


class OutsideWindow(CollectorError):
    """Graph 131047: more than 24 hours since the citizen last wrote; only a template may go."""


class SendRejected(CollectorError):
    """Graph refused the message for good (bad number, unknown template, …): not retried."""

    def __init__(self, code: int | None, message: str):
        self.code = code
        super().__init__(f"WhatsApp refused the message (Graph error {code}): {message}")


@dataclass(frozen=True)
class Sent:
    wamid: str  # its statuses come back by webhook under this id (store.tables.WhatsAppStatus)


@dataclass(frozen=True)
class MediaFile:
    content: bytes
    mime_type: str


class WhatsAppSender:
    def __init__(self, access_token: str, phone_number_id: str, graph_url: str = "https://graph.facebook.com/",
                 version: str = "v25.0", timeout: float = 20.0):
        self.base = (graph_url if graph_url.endswith("/") else graph_url + "/") + version + "/"
        self.phone_number_id, self.timeout = phone_number_id, timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {access_token}"

    @classmethod
    def from_settings(cls, settings: Settings, phone_number_id: str) -> WhatsAppSender:
        """The sender for one of our numbers (a case is answered from the line it came in on)."""
        if settings.whatsapp_access_token is None:
            from collectors.errors import MissingSettings
            raise MissingSettings("whatsapp", ["whatsapp_access_token"])
        return cls(settings.whatsapp_access_token.get_secret_value(), phone_number_id, settings.whatsapp_graph_url,
                   settings.whatsapp_api_version, settings.http_timeout)

    def send_text(self, to: str, body: str, reply_to: str | None = None) -> Sent:
        """A free-form text; ``reply_to`` quotes the citizen's message (a wamid)."""
        message: dict[str, Any] = {"type": "text", "text": {"preview_url": False, "body": body}}
        if reply_to:
            message["context"] = {"message_id": reply_to}
        return self._send(to, message)

    def send_template(self, to: str, name: str, language: str, body_params: list[str] | None = None) -> Sent:
        """An approved template (the only message allowed outside the 24-hour window)."""
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if body_params:
            template["components"] = [{"type": "body",
                                        "parameters": [{"type": "text", "text": p} for p in body_params]}]
        return self._send(to, {"type": "template", "template": template})

    def _send(self, to: str, message: dict[str, Any]) -> Sent:
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual",
                   "to": to.lstrip("+"), **message}
        data = self._call("POST", f"{self.base}{self.phone_number_id}/messages", json=payload)
        messages = data.get("messages")
        if not (isinstance(messages, list) and messages and isinstance(messages[0], dict)
                and isinstance(messages[0].get("id"), str)):
            raise TemporarilyUnavailable("Graph API sent an unexpected body (no message id)")
        return Sent(messages[0]["id"])

    def fetch_media(self, media_id: str) -> MediaFile:
        """The file behind a media id: Graph names a short-lived URL, fetched with the token."""
        info = self._call("GET", f"{self.base}{media_id}")
        url, mime = info.get("url"), info.get("mime_type")
        if not isinstance(url, str) or not isinstance(mime, str):
            raise TemporarilyUnavailable("Graph API sent an unexpected body (no media url)")
        host = urlsplit(url).hostname or ""
        scheme = urlsplit(url).scheme
        if not ((scheme == "https" and host.endswith(MEDIA_HOSTS)) or (scheme == "http" and is_loopback_host(host))):
            raise SendRejected(None, f"media URL on an unexpected host {host!r}; the token is not sent there")
        try:
            response = self.session.get(url, timeout=self.timeout, stream=True)
            if response.status_code >= 400:
                self._raise_for(response)
            content = bytearray()
            for chunk in response.iter_content(65536):
                content += chunk
                if len(content) > MAX_MEDIA_BYTES:
                    raise SendRejected(None, "media file over 100 MB")
        except requests.Timeout as exc:
            raise TemporarilyUnavailable("WhatsApp media download timed out") from exc
        except requests.ConnectionError as exc:
            raise TemporarilyUnavailable(f"WhatsApp media unreachable: {exc.__class__.__name__}") from exc
        return MediaFile(bytes(content), mime)

    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise TemporarilyUnavailable("Graph API timed out") from exc
        except requests.ConnectionError as exc:
            raise TemporarilyUnavailable(f"Graph API unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 400:
            self._raise_for(response)
        try:
            data = response.json()
        except ValueError as exc:
            raise TemporarilyUnavailable(f"Graph API sent an unreadable response: {exc!r}") from exc
        if not isinstance(data, dict):
            raise TemporarilyUnavailable("Graph API sent an unexpected body")
        return data

    @staticmethod
    def _raise_for(response: requests.Response) -> None:
        if response.status_code >= 500:
            raise TemporarilyUnavailable(f"Graph API {response.status_code}")
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        code = error.get("code") if isinstance(error.get("code"), int) else None
        message = str(error.get("message") or response.reason)[:300]
        if code in AUTH_CODES or (code is None and response.status_code == 401):
            raise AuthFailed(f"Graph error {code}: {message}")
        if code in RATE_LIMIT_CODES or response.status_code == 429:
            raise RateLimited(None, f"Graph error {code}")
        if code in TRANSIENT_CODES:
            raise TemporarilyUnavailable(f"Graph error {code}: {message}")
        if code == OUTSIDE_WINDOW:
            raise OutsideWindow(f"Graph error {code}: {message}")
        raise SendRejected(code, message)
