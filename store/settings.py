"""Settings: environment (prefix TANGGAP_), an optional tanggap.toml, and secret files.

Tokens and passwords are read only from the environment or from a secrets directory
(TANGGAP_SECRETS_DIR, one file per setting, e.g. ``x_bearer_token``); a token found in
tanggap.toml is refused, because that file is meant to be committed and shared.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

URGENCIES = ("kritis", "tinggi", "sedang", "rendah")
SECRET_FIELDS = ("x_bearer_token", "x_consumer_key", "x_consumer_secret", "x_access_token",
                 "x_access_token_secret", "facebook_page_token")


class SettingsError(Exception):
    """A setting has a value Tanggap cannot use; the message names the setting."""


class TomlWithoutSecrets(TomlConfigSettingsSource):
    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        leaked = sorted(k for k in data if k in SECRET_FIELDS)
        if leaked:
            raise SettingsError(
                f"tanggap.toml must not hold {', '.join(leaked)}: put tokens in the environment "
                f"(TANGGAP_{leaked[0].upper()}) or in a file in TANGGAP_SECRETS_DIR")
        return data


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TANGGAP_", toml_file="tanggap.toml", extra="ignore",
        secrets_dir=os.environ.get("TANGGAP_SECRETS_DIR") or None)

    database_url: str = "sqlite:///var/tanggap.db"
    display_timezone: str = "Asia/Jakarta"
    # SLA: the SOP's response target in minutes, globally and per urgency. Banyuwangi has
    # changed it before (4 h, later 2 h), so it is data, never a constant in code.
    sla_target_minutes: int = Field(240, gt=0)
    sla_target_minutes_by_urgency: dict[str, int] = Field(default_factory=dict)
    model_dir: Path = Path("var/models")
    # PostgreSQL memory per sort or hash of a statistics read (SET LOCAL, those transactions only).
    stats_work_mem_mb: int = Field(64, ge=4, le=2048)
    session_timeout_minutes: int = 60
    login_max_failures: int = 5
    login_lockout_minutes: int = 15

    # X / Twitter
    x_account: str | None = None
    x_bearer_token: SecretStr | None = None
    x_consumer_key: SecretStr | None = None
    x_consumer_secret: SecretStr | None = None
    x_access_token: SecretStr | None = None
    x_access_token_secret: SecretStr | None = None
    x_api_base: str = "https://api.twitter.com"
    x_search_query: str | None = None
    x_poll_seconds: int = 120
    x_monthly_read_budget: int = 10_000
    # Facebook Page
    facebook_page_id: str | None = None
    facebook_page_token: SecretStr | None = None
    facebook_graph_url: str = "https://graph.facebook.com/"
    facebook_api_version: str = "v25.0"
    facebook_poll_seconds: int = 60
    facebook_comment_days: int = Field(default=7, ge=1, le=90)
    # SMS centre (Gammu SMSD database)
    sms_gammu_url: str | None = None
    sms_poll_seconds: int = 30
    # Network timeouts for collectors, seconds
    http_timeout: float = 20.0

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings,
                                   dotenv_settings, file_secret_settings
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, file_secret_settings, TomlWithoutSecrets(settings_cls))

    @field_validator("display_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone name
        return value

    @field_validator("sla_target_minutes_by_urgency")
    @classmethod
    def _known_urgencies(cls, value: dict[str, int]) -> dict[str, int]:
        for urgency, minutes in value.items():
            if urgency not in URGENCIES:
                raise ValueError(f"unknown urgency {urgency!r}; use one of {', '.join(URGENCIES)}")
            if minutes <= 0:
                raise ValueError(f"target for {urgency} must be positive, got {minutes}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.display_timezone)


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except SettingsError:
        raise
    except Exception as exc:  # pydantic's ValidationError, a broken tanggap.toml
        raise SettingsError(f"invalid setting: {exc}") from exc
