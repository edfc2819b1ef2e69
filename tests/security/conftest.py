"""Fixtures of the security regression tests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tests.console.conftest import app  # noqa: F401 - the console's AppTest fixture, for the login form


class CountingHasher(PasswordHasher):
    """A cheap argon2 (1 pass over 8 KiB) that records which hashes passwords were checked
    against. Production keeps argon2-cffi's defaults (test_password_policy checks that); the
    cheap one lets 60 parallel tries run in well under a second on a 2-core machine."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash, password):  # noqa: A002 - argon2-cffi's own parameter name
        self.checked.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def cheap_hasher(monkeypatch) -> CountingHasher:
    """Request it before make_user, so the accounts' hashes are cheap too."""
    from store import passwords
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", hasher)
    return hasher
