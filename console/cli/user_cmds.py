"""`tanggap user …`: staff accounts."""

import sys

import typer

from console.cli.app import app, echo, fail, friendly_errors

user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
@friendly_errors
def add(username: str,
        role: str = typer.Option(..., help="admin, komunikasi, kepala_dinas or viewer"),
        agency: str | None = typer.Option(None, help="agency code, required for kepala_dinas"),
        name: str | None = typer.Option(None, help="display name"),
        password_stdin: bool = typer.Option(False, help="read the password from standard input")) -> None:
    """Create a staff account (the password is hashed with argon2, never stored or logged).

    Example: echo 's3cret-pass' | tanggap user add admin --role admin --password-stdin
    """
    from store.db import write_session
    from store.users import UserError, create_user
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        with write_session() as session:
            user = create_user(session, username, name or username, role, password, agency)
            echo(f"created {user.username} ({user.role}{', ' + user.agency_code if user.agency_code else ''})")
    except UserError as exc:
        fail(str(exc))
