from __future__ import annotations

import pytest

from tests.collectors.fakes import Clock, FakeAPI


@pytest.fixture
def fake_api():
    api = FakeAPI()
    yield api
    api.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def settings_env(monkeypatch):
    """Set TANGGAP_ settings for a test and return fresh Settings."""
    def apply(**values):
        from store.settings import get_settings
        for key, value in values.items():
            monkeypatch.setenv(f"TANGGAP_{key.upper()}", str(value))
        get_settings.cache_clear()
        return get_settings()
    return apply
