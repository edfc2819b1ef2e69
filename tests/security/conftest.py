"""Fixtures of the security regression tests, and those shared with the collector and console
tests: the local fake API, the settings helper, the AppTest runner."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tests.collectors.conftest import fake_api, settings_env  # noqa: F401  (shared fixtures)
from tests.console.conftest import app  # noqa: F401 - the console's AppTest fixture


class CountingHasher(PasswordHasher):
    """A cheap argon2 (1 pass over 8 KiB) that records which hashes passwords were checked
    against. Production keeps argon2-cffi's defaults (test_password_policy checks that); the
    cheap one lets 60 parallel tries run in well under a second on a 2-core machine."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash, password):
        self.checked.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def cheap_hasher(monkeypatch) -> CountingHasher:
    """Request it before make_user, so the accounts' hashes are cheap too."""
    from store import passwords
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", hasher)
    return hasher
