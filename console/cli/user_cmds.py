"""`tanggap user …`: staff accounts."""

import getpass
import sys

import typer

from console.cli.app import app, echo, friendly_errors

user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
@friendly_errors
def add(username: str,
        role: str = typer.Option(..., help="admin, komunikasi, kepala_dinas or viewer"),
        agency: str | None = typer.Option(None, help="agency code, required for kepala_dinas"),
        name: str | None = typer.Option(None, help="display name"),
        password_stdin: bool = typer.Option(False, help="read the password from standard input"),
        as_user: str | None = typer.Option(None, "--as", help="the admin the addition is audited as; without "
                                           "it, the operating-system user (shell access is admin trust)")) -> None:
    """Create a staff account through the same audited service as the console's Admin page.
    The password must meet the policy (10+ characters, two kinds of character, not a common
    password); it is hashed with argon2, never stored or logged.

    Example: echo 'Kominfo-bwi-2026' | tanggap user add admin --role admin --password-stdin
    """
    from console.services import admin
    from console.services.auth import principal_for
    from store.db import read_session
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if as_user:
        with read_session() as session:
            principal = principal_for(session, as_user)
        user = admin.add_user(principal, username, name or username, role, password, agency)
    else:
        user = admin.add_user_from_shell(getpass.getuser(), username, name or username, role, password, agency)
    echo(f"created {user.username} ({user.role}{', ' + user.agency_code if user.agency_code else ''})")
