"""The password policy (store/passwords.py; README "Security" states it): 10+ characters, two
kinds of character, 5 different characters, not a common password. Applied wherever a
password is set: store, the Admin page's add and reset, `tanggap user add`. Issue 10 found
that eight spaces passed."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app as cli
from console.i18n import t
from console.services import admin
from console.services.errors import ServiceError
from console.ui import explain
from store import passwords
from store.db import read_session, write_session
from store.passwords import PasswordPolicyError, check_policy
from store.tables import StaffUser
from store.users import UserError, create_user
from tests.console.conftest import no_exception

REFUSED = [
    ("        ", "password_short"),  # eight spaces (the probe's finding)
    ("Ab1-xyz", "password_short"),  # 7 characters, however varied
    ("          ", "password_one_kind"),  # ten spaces
    ("kopiluwakbanyuwangi", "password_one_kind"),  # lowercase only
    ("1234509876", "password_one_kind"),  # digits only
    ("aaaaaaaaa1", "password_repetitive"),  # two kinds but only 2 different characters
    ("abab-abab-abab", "password_repetitive"),  # 3 different characters
    ("Password123", "password_common"),  # "password" once the digits at the end go
    ("rahasia-123", "password_common"),  # Indonesian "secret": in zxcvbn's list too
    ("P@ssw0rd!!", "password_common"),  # "p@ssw0rd" is on the list as it is
    ("Qwerty1234", "password_common"),  # "qwerty1234" is on the list as it is
]
ACCEPTED = [
    "Tanggap-uji-2026",
    "kopi luwak 7 gelas",  # spaces count as "other"
    "ijen-blue-fire",  # lowercase and punctuation
    "admin-demo",  # the demo admin's (console/demo/users.py), exactly 10
]


@pytest.mark.parametrize(("password", "code"), REFUSED)
def test_weak_passwords_are_refused_with_the_rule_they_break(password, code):
    with pytest.raises(PasswordPolicyError) as refused:
        check_policy(password)
    assert refused.value.code == code


@pytest.mark.parametrize("password", ACCEPTED)
def test_passwords_that_meet_every_rule_are_accepted(password):
    check_policy(password)


@pytest.mark.parametrize("code", ["password_short", "password_one_kind", "password_repetitive",
                                  "password_common"])
def test_every_rule_is_explained_in_both_languages(code):
    error = ServiceError("english", code, n=10)
    indonesian, english = explain(error), t(f"err.{code}", lang="en", n=10)
    assert indonesian == t(f"err.{code}", n=10) and indonesian != english
    assert "{" not in indonesian + english and "Tidak dapat diproses" not in indonesian


def test_the_store_refuses_a_weak_password_when_creating_or_changing_one(db):
    with write_session() as s, pytest.raises(UserError) as refused:
        create_user(s, "kominfo1", "Kominfo", "komunikasi", "rahasia-123")
    assert refused.value.code == "password_common"
    with read_session() as s:
        assert s.exec(select(StaffUser)).all() == []


def test_admin_add_and_reset_refuse_weak_passwords(cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    with pytest.raises(ServiceError) as refused:
        admin.add_user(boss, "kadinsos", "Kadinsos", "kepala_dinas", "aaaaaaaaa1", "DINSOS")
    assert refused.value.code == "password_repetitive"
    with pytest.raises(ServiceError) as refused:
        admin.reset_password(boss, staff.id, "          ")
    assert refused.value.code == "password_one_kind"


def test_the_reset_form_says_which_rule_was_broken(app, cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    make_user("kominfo1", "komunikasi")
    at = app(boss, "console/admin.py")
    at.selectbox(key="admin_user").set_value("kominfo1").run()
    at.text_input(key="admin_reset_password").input("Password123")
    at.button(key="admin_reset").click().run()
    no_exception(at)
    assert [e.value for e in at.error] == [
        "Kata sandi ini termasuk kata sandi yang umum dipakai; pilih yang lebih sulit ditebak."]


def test_the_cli_refuses_a_weak_password_in_one_line(db):
    result = CliRunner().invoke(cli, ["user", "add", "ani", "--role", "komunikasi", "--password-stdin"],
                                input="        \n")
    assert result.exit_code == 1
    assert result.output == "error: password must be at least 10 characters\n"


def test_production_hashes_with_argon2_cffis_strong_defaults():
    """Tests of parallel logins use a cheap hasher (tests/security/conftest.py); the code never does."""
    default = PasswordHasher()
    assert (passwords.HASHER.time_cost, passwords.HASHER.memory_cost, passwords.HASHER.parallelism) == (
        default.time_cost, default.memory_cost, default.parallelism)
    assert (passwords.HASHER.time_cost, passwords.HASHER.memory_cost) == (3, 64 * 1024)  # 3 passes, 64 MiB


def test_common_passwords_are_the_30000_zxcvbn_ships_checked_lowercased_and_trimmed():
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    assert len(FREQUENCY_LISTS["passwords"]) == 30_000
    assert passwords._common() == frozenset(FREQUENCY_LISTS["passwords"])
    with pytest.raises(PasswordPolicyError) as refused:
        check_policy("Rahasia-123!")  # README's example: cut digits and punctuation, lowercased → rahasia
    assert refused.value.code == "password_common"
