"""Passwords: the policy a new password must meet, argon2 hashing, and checks whose cost does
not depend on whether the account exists.

The policy (README, "Security", says the same):
- at least MIN_LENGTH (10) characters;
- at least two of four kinds of character: lowercase letters, uppercase letters, digits,
  anything else (punctuation, spaces, letters outside a–z such as é);
- at least MIN_DISTINCT (5) different characters (so "aaaaaaaaa1" fails);
- not a common password: the password lowercased, and the same with the digits, spaces and
  punctuation at both ends removed ("Rahasia-123!" → "rahasia"), must not be one of the
  30,000 most common passwords in the list that the zxcvbn package ships.
"""

from __future__ import annotations

import os
import secrets
import string
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from store.errors import ExplainedError

MIN_LENGTH = 10
MIN_KINDS = 2
MIN_DISTINCT = 5
# Trimmed from both ends before the common-password look-up.
_END_CHARS = string.digits + string.punctuation + string.whitespace

# argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over 64 MiB). Tests of
# parallel logins swap in a cheap hasher (tests/security/conftest.py); production never does.
HASHER = PasswordHasher()
# Each check takes 64 MiB and a core for ~0.1 s: at most this many run at once, so a burst
# of logins queues instead of exhausting memory. Every path (known, unknown, locked) queues
# the same way, so waiting reveals nothing.
_checks_at_once = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


class PasswordPolicyError(ExplainedError):
    """A new password does not meet the policy; the message says which rule it breaks."""


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"password must be at least {MIN_LENGTH} characters", "password_short", n=MIN_LENGTH)
    if _kinds(password) < MIN_KINDS:
        raise PasswordPolicyError("password must mix at least two of: lowercase letters, uppercase letters, digits, "
                           "other characters", "password_one_kind")
    if len(set(password)) < MIN_DISTINCT:
        raise PasswordPolicyError(f"password must have at least {MIN_DISTINCT} different characters",
                           "password_repetitive", n=MIN_DISTINCT)
    lowered = password.lower()
    if lowered in _common() or lowered.strip(_END_CHARS) in _common():
        raise PasswordPolicyError("password is on the list of common passwords; choose a less guessable one",
                           "password_common")


def _kinds(password: str) -> int:
    lower = any(c in string.ascii_lowercase for c in password)
    upper = any(c in string.ascii_uppercase for c in password)
    digit = any(c in string.digits for c in password)
    other = any(c not in string.ascii_letters + string.digits for c in password)
    return lower + upper + digit + other


@cache
def _common() -> frozenset[str]:
    # Imported on first use: the list is a 0.8 MB module that only password changes need.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"])


def hash_password(password: str) -> str:
    with _checks_at_once:
        return HASHER.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no hash (no such account, or one that may not log
    in now) the password is checked against a dummy hash of the same cost and fails."""
    with _checks_at_once:
        try:
            HASHER.verify(stored_hash or _dummy_hash(HASHER), password)
        except (VerificationError, InvalidHashError):
            return False
    return stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))
