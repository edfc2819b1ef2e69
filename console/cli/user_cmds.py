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


@user_app.command("edit")
@friendly_errors
def edit(username: str,
         mobile: str | None = typer.Option(None, help="mobile number, e.g. 0812-3456-7890 (stored as +62…)"),
         email: str | None = typer.Option(None, help="email address for alerts"),
         telegram: str | None = typer.Option(None, help="Telegram chat id (a number) for alerts"),
         channels: str | None = typer.Option(None, help="alert channels besides the console: email,telegram,sms "
                                             "('' for none)"),
         as_user: str | None = typer.Option(None, "--as", help="the admin (or the user themself) the change is "
                                            "audited as; without it, the operating-system user")) -> None:
    """Set where alerts reach a staff member: mobile, email, Telegram chat and the channels
    they chose. Options not given keep their value. The console's list always gets alerts.

    Example: tanggap user edit kadinkes --mobile 0812-3456-7890 --telegram 123456789 --channels telegram,sms
    """
    import getpass

    from console.services import people
    from console.services.admin import Operator
    from console.services.auth import principal_for
    from store.db import read_session
    if as_user:
        with read_session() as session:
            who = principal_for(session, as_user)
    else:
        who = Operator(f"shell:{getpass.getuser()}"[:64])
    now = people.contacts(who, username)
    row = people.set_contacts(who, username, mobile=now.mobile if mobile is None else mobile,
                              email=now.email if email is None else email,
                              telegram_chat_id=now.telegram_chat_id if telegram is None else telegram,
                              channels=list(now.channels) if channels is None else channels)
    echo(f"{row.username}: channels console{''.join(',' + c for c in row.channels)}; mobile "
         f"{'set' if row.mobile else '-'}, email {row.email or '-'}, telegram {row.telegram_chat_id or '-'}")
