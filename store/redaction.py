"""The one home of secret redaction: every text bound for a log line, the run history or a
source's status goes through ``redact``, and ``configure_logging`` puts a filter on the
root handlers so that no library's debug output can print a token either.

Two nets, because each misses what the other catches:
- the configured secrets themselves (every ``SECRET_FIELDS`` setting), as written and as
  URL-encoded, wherever they appear;
- token-shaped text whatever its value: ``Bearer …`` headers (tweepy logs its request
  headers), ``access_token=…`` in a URL (urllib3 logs each request line, and Graph carries
  the Page token in the query), OAuth 1 parameters (requests-oauthlib and oauthlib log
  them as ``key=value``, URL-encoded and as Python tuples), and a password in a URL.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4  # shorter values would blank ordinary words; no real token is this short
_SECRET_KEYS = (r"access_token|appsecret_proof|client_secret|bearer_token|api_key|api_secret|password"
                r"|oauth_(?:token_secret|token|consumer_key|signature|verifier|nonce)")
_KEY_EQUALS = re.compile(rf"(?i)\b({_SECRET_KEYS})=[^&\s'\",)]+")
_KEY_EQUALS_ENCODED = re.compile(rf"(?i)\b({_SECRET_KEYS})%3D(?:(?!%26)[^&\s'\",)])+")
_KEY_QUOTED = re.compile(rf"(?i)\b({_SECRET_KEYS})=\"[^\"]*\"")
_KEY_IN_TUPLE = re.compile(rf"(?i)(['\"](?:{_SECRET_KEYS})['\"],\s*['\"])[^'\"]*")
_KEY_IN_MAPPING = re.compile(rf"(?i)(['\"](?:{_SECRET_KEYS})['\"]:\s*['\"])[^'\"]*")
_AUTH_HEADER = re.compile(r"(?i)\b((?:bearer|basic|oauth)\s+)[A-Za-z0-9%._~+/=-]+")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s/]+@")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with every configured secret and every token-shaped value replaced."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                text = text.replace(form, REDACTED)
    text = _KEY_QUOTED.sub(rf'\1="{REDACTED}"', text)
    text = _KEY_EQUALS.sub(rf"\1={REDACTED}", text)
    text = _KEY_EQUALS_ENCODED.sub(rf"\1%3D{REDACTED}", text)
    text = _KEY_IN_TUPLE.sub(rf"\1{REDACTED}", text)
    text = _KEY_IN_MAPPING.sub(rf"\1{REDACTED}", text)
    text = _AUTH_HEADER.sub(rf"\1{REDACTED}", text)
    return _URL_PASSWORD.sub(rf"\1{REDACTED}@", text)


def configured_secrets() -> tuple[str, ...]:
    """The values of the secret settings now configured (empty when settings cannot load:
    a log line must never fail because of a bad setting)."""
    from store.settings import SECRET_FIELDS, get_settings
    try:
        settings = get_settings()
    except Exception:  # noqa: BLE001  (SettingsError or anything a broken environment raises)
        return ()
    return tuple(value.get_secret_value() for name in SECRET_FIELDS
                 if (value := getattr(settings, name, None)) is not None)


class RedactingFilter(logging.Filter):
    """Rewrites each record on its way to a handler: message, arguments, traceback and stack
    are formatted once and redacted, so every handler after it sees only the safe text."""

    def __init__(self, secrets: Callable[[], tuple[str, ...]] = configured_secrets):
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._secrets()
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a library's bad format string: keep what there is)
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message, secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
            record.exc_info = None  # a later formatter would format the raw traceback again
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test runner swaps it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: int | None = None) -> None:
    """Log to stderr (at ``level`` when given) with every root handler redacting. Like
    basicConfig, a handler is added only when the root has none; the filter goes on every
    root handler, whoever installed it."""
    root = logging.getLogger()
    if not root.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    if level is not None:
        root.setLevel(level)
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
