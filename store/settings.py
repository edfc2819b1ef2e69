"""Settings: environment (prefix TANGGAP_), an optional tanggap.toml, and secret files.

Tokens and passwords are read only from the environment or from a secrets directory
(TANGGAP_SECRETS_DIR, one file per setting named like the variable in lower case, e.g.
``tanggap_x_bearer_token``); a token found in
tanggap.toml is refused, because that file is meant to be committed and shared.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from store.vocabulary import REPLY_APPROVAL_MODES, URGENCIES

SECRET_FIELDS = ("x_bearer_token", "x_consumer_key", "x_consumer_secret", "x_access_token",
                 "x_access_token_secret", "facebook_page_token", "telegram_bot_token", "whatsapp_app_secret",
                 "whatsapp_verify_token", "whatsapp_access_token")
# URLs that may carry a password: allowed in tanggap.toml only without one.
DATABASE_URLS = ("database_url", "sms_gammu_url", "smtp_url")
# Base URLs the tokens are sent to: https only, except a local test server on loopback.
REMOTE_API_URLS = ("x_api_base", "facebook_graph_url", "telegram_api_base", "whatsapp_graph_url")


class SettingsError(Exception):
    """A setting has a value Tanggap cannot use; the message names the setting."""


class TomlWithoutSecrets(TomlConfigSettingsSource):
    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        leaked = sorted(k for k in data if k in SECRET_FIELDS
                        or (k in DATABASE_URLS and isinstance(data[k], str) and _has_password(data[k])))
        if leaked:
            raise SettingsError(
                f"tanggap.toml must not hold {', '.join(leaked)}: put tokens and passwords in the environment "
                f"(TANGGAP_{leaked[0].upper()}) or in a file in TANGGAP_SECRETS_DIR")
        return data


FEEDBACK_WEIGHT_DEFAULT = 1.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TANGGAP_", toml_file="tanggap.toml", extra="ignore")

    database_url: str = "sqlite:///var/tanggap.db"
    display_timezone: str = "Asia/Jakarta"
    # SLA: the SOP's response target in minutes, globally and per urgency. Banyuwangi has
    # changed it before (4 h, later 2 h), so it is data, never a constant in code.
    sla_target_minutes: int = Field(240, gt=0)
    sla_target_minutes_by_urgency: dict[str, int] = Field(default_factory=dict)
    # The acknowledgement clock's target: someone tells the citizen the report arrived.
    ack_target_minutes: int = Field(60, gt=0)
    ack_target_minutes_by_urgency: dict[str, int] = Field(default_factory=dict)
    model_dir: Path = Path("var/models")
    # Retraining with feedback: how much one feedback row weighs against one corpus row (chosen
    # by benchmarks/adaptation_bench.py), and how far a test-split macro-F1 may drop in the
    # promotion gate (classifier/gate.py) for a model that learned the team's data.
    feedback_weight: float = Field(FEEDBACK_WEIGHT_DEFAULT, ge=0.1, le=20)
    promotion_tolerance: float = Field(0.01, ge=0, le=0.1)
    # The worker retrains when this many feedback rows arrived since its last attempt (at
    # most once a day); it checks every retrain_check_seconds.
    retrain_after_feedback: int = Field(200, ge=1)
    retrain_check_seconds: int = Field(600, gt=0)
    # PostgreSQL memory per sort or hash of a statistics read (SET LOCAL, those transactions only).
    stats_work_mem_mb: int = Field(64, ge=4, le=2048)
    session_timeout_minutes: int = Field(60, gt=0)
    login_max_failures: int = Field(5, gt=0)
    login_lockout_minutes: int = Field(15, gt=0)
    # The agency that reads every restricted (children's) case, with admins and the comms team.
    child_protection_agency: str = "DP3A"

    # X / Twitter
    x_account: str | None = None
    x_bearer_token: SecretStr | None = None
    x_consumer_key: SecretStr | None = None
    x_consumer_secret: SecretStr | None = None
    x_access_token: SecretStr | None = None
    x_access_token_secret: SecretStr | None = None
    x_api_base: str = "https://api.twitter.com"
    x_search_query: str | None = None
    x_poll_seconds: int = Field(120, gt=0)
    x_monthly_read_budget: int = Field(10_000, ge=0)
    # Facebook Page
    facebook_page_id: str | None = None
    facebook_page_token: SecretStr | None = None
    facebook_graph_url: str = "https://graph.facebook.com/"
    facebook_api_version: str = "v25.0"
    facebook_poll_seconds: int = Field(60, gt=0)
    facebook_comment_days: int = Field(default=7, ge=1, le=90)
    # SMS centre (Gammu SMSD database)
    sms_gammu_url: str | None = None
    sms_poll_seconds: int = Field(30, gt=0)
    # Replies: who approves before a reply is sent (none, agency: replies drafted by agency staff
    # wait for the comms team or an admin, all: every reply waits for a second person), and how
    # often the worker's sender looks at the outbox.
    reply_approval: str = "agency"
    reply_poll_seconds: int = Field(10, gt=0)
    # Network timeouts for collectors, seconds
    http_timeout: float = Field(20.0, gt=0)
    # WhatsApp Business Platform (Cloud API): the webhook (collectors/wa_webhook.py), the
    # worker job that ingests its deliveries, and the sending adapter (collectors/wa_send.py).
    whatsapp_app_secret: SecretStr | None = None  # signs every delivery (X-Hub-Signature-256)
    whatsapp_verify_token: SecretStr | None = None  # Meta's dashboard sends it back when subscribing
    whatsapp_access_token: SecretStr | None = None  # system-user token: sending and media downloads
    # {phone_number_id: unit}: "bupati" for the regent's line, a kecamatan office's agency code
    # (e.g. KEC_GENTENG) for a camat's line, whose messages get that office as supporting unit.
    whatsapp_numbers: dict[str, str] = Field(default_factory=dict)
    whatsapp_graph_url: str = "https://graph.facebook.com/"
    whatsapp_api_version: str = "v25.0"
    whatsapp_webhook_host: str = "127.0.0.1"  # behind the HTTPS reverse proxy (README)
    whatsapp_webhook_port: int = Field(8502, gt=0, lt=65536)
    whatsapp_max_body_bytes: int = Field(262_144, ge=1024, le=16_777_216)
    whatsapp_ingest_seconds: float = Field(2.0, gt=0)
    whatsapp_template_name: str | None = None  # approved template for replies outside 24 hours
    whatsapp_template_language: str = "id"

    # Alerts (console/services/alerts*.py): where each alert's link points, the channels, the
    # people the timed rules fall back on, and how often the worker sends and checks the clocks.
    console_url: str = "http://localhost:8501"
    smtp_url: str | None = None  # smtp://user:password@host:587 (STARTTLS always)
    smtp_from: str = "tanggap@localhost"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    alert_comms_coordinator: str | None = None  # a username
    alert_escalation: str = ""  # usernames, comma-separated (e.g. the regional secretary's office)
    alert_send_seconds: float = Field(2.0, gt=0)
    alert_timer_seconds: float = Field(60.0, gt=0)
    incident_window_minutes: int = Field(60, ge=1, le=1440)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings,
                                   dotenv_settings, file_secret_settings
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, file_secret_settings, TomlWithoutSecrets(settings_cls))

    @field_validator("display_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:  # a KeyError pydantic would not name
            raise ValueError(f"unknown time zone {value[:80]!r}; use an IANA name such as Asia/Jakarta") from exc
        return value

    @field_validator("sla_target_minutes_by_urgency", "ack_target_minutes_by_urgency")
    @classmethod
    def _known_urgencies(cls, value: dict[str, int]) -> dict[str, int]:
        for urgency, minutes in value.items():
            if urgency not in URGENCIES:
                raise ValueError(f"unknown urgency {urgency!r}; use one of {', '.join(URGENCIES)}")
            if minutes <= 0:
                raise ValueError(f"target for {urgency} must be positive, got {minutes}")
        return value

    @field_validator("reply_approval")
    @classmethod
    def _known_approval(cls, value: str) -> str:
        if value not in REPLY_APPROVAL_MODES:
            raise ValueError(f"use one of {', '.join(REPLY_APPROVAL_MODES)}, got {value[:40]!r}")
        return value

    @field_validator(*REMOTE_API_URLS)
    @classmethod
    def _https_unless_loopback(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        loopback = parts.scheme == "http" and is_loopback_host(parts.hostname or "")
        if parts.hostname and (parts.scheme == "https" or loopback):
            return value.strip()
        raise ValueError(f"must be an https:// URL (the token travels with every request; http:// only to "
                         f"127.0.0.1, ::1 or localhost, for a local test server), got {value[:80]!r}")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.display_timezone)


def _has_password(url: str) -> bool:
    try:
        return bool(urlsplit(url.strip()).password)
    except ValueError:  # not a URL at all: the engine reports that, naming the setting
        return False


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback  # 127.0.0.0/8 and ::1
    except ValueError:
        return False


def _one_line(exc: ValidationError) -> str:
    """pydantic's multi-line report as one line naming each setting as it is set."""
    problems = []
    for error in exc.errors():
        name = "TANGGAP_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {message}")
    return "; ".join(problems)


def load_settings() -> Settings:
    """Settings read afresh from the environment, the secrets folder and tanggap.toml (the
    collector re-reads them to see a replaced token without a restart)."""
    try:
        # The folder is looked up now, not when this module was imported.
        return Settings(_secrets_dir=os.environ.get("TANGGAP_SECRETS_DIR") or None)
    except SettingsError:
        raise
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from exc
    except Exception as exc:  # a broken tanggap.toml
        raise SettingsError(f"invalid setting: {' '.join(str(exc).split())}") from exc


@lru_cache
def get_settings() -> Settings:
    """The settings, read once per process (what everything but the collector's retry of a
    stopped source uses)."""
    return load_settings()
