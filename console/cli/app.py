"""The Typer application and the helpers every command module shares.

Every failure is one line on stderr, never a traceback: a bad argument or option (click's
usage errors, a reversed date range, an unknown agency, an unusable --out) exits with 2,
as does a configuration problem or a database that was never migrated; a refused action
(permissions, a conflict, a case in the wrong state) exits with 1. All output goes through
``echo`` and ``print_json``, which strip terminal escape sequences (console.cli.terminal).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer._click import exceptions as click_errors  # typer 0.29 vendors click; its errors live here
from typer.core import TyperGroup

from console.cli.terminal import json_safe, safe
from store.db import DatabaseConfigError
from store.settings import SettingsError

USAGE_EXIT = 2
UPGRADE_HINT = "the database has no Tanggap tables (or an older schema): run `tanggap db upgrade` first"


class OneLineErrors(TyperGroup):
    """Click's usage errors as one line ``error: …`` and exit code 2, instead of a usage box."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click_errors.ClickException as exc:
            echo(f"error: {exc.format_message()}", err=True, one_line=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            echo("aborted", err=True)
            sys.exit(1)
        # Non-standalone click returns the code of a typer.Exit; a finished command returns None.
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(cls=OneLineErrors, help="Tanggap: social-media monitoring and response for Pemkab Banyuwangi.",
                  no_args_is_help=True, add_completion=False)


class CommandError(Exception):
    """Raised by a command for a plain user error; printed as one line, exit code 1."""


def bad_argument(option: str, message: str) -> typer.BadParameter:
    """An argument the command cannot use: one line naming it, exit code 2."""
    return typer.BadParameter(message, param_hint=option)


def one_of(choices: Sequence[str]) -> Callable[[Any], Any]:
    """An option callback: each value must be one of ``choices`` (else one line, exit code 2)."""
    def check(value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item is not None and item not in choices:
                raise typer.BadParameter(f"{item!r} is not one of {', '.join(choices)}")
        return value
    return check


def echo(text: object = "", err: bool = False, one_line: bool = False) -> None:
    typer.echo(safe(str(text), one_line=one_line), err=err)


def fail(message: str, code: int = 1) -> None:
    echo(f"error: {message}", err=True, one_line=True)
    raise typer.Exit(code)


def friendly_errors(func: Callable) -> Callable:
    """Turn the library's named errors into one clear line on stderr and exit code 1
    (2 for configuration errors, bad input and an unmigrated database), instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        from sqlalchemy.exc import OperationalError, ProgrammingError

        from console.services import BadInput, ServiceError
        from store.cases import CaseError
        from store.sla import ResponseTimeError
        from store.users import UserError
        try:
            return func(*args, **kwargs)
        except (DatabaseConfigError, SettingsError, BadInput) as exc:
            fail(str(exc), code=USAGE_EXIT)
        except (ServiceError, CommandError, CaseError, ResponseTimeError, UserError) as exc:
            fail(str(exc))
        except (OperationalError, ProgrammingError):
            if not schema_is_current():
                fail(UPGRADE_HINT, code=USAGE_EXIT)
            raise

    return wrapper


def schema_is_current() -> bool:
    """Whether the database is at the newest migration (False when it has no tables)."""
    from sqlalchemy.exc import SQLAlchemyError

    from store.migrate import is_current
    try:
        return is_current()
    except SQLAlchemyError:  # a database that cannot answer is not ready either
        return False


def require_schema() -> None:
    """For commands that catch database errors themselves (the collector loop)."""
    if not schema_is_current():
        fail(UPGRADE_HINT, code=USAGE_EXIT)


def print_json(data: Any) -> None:
    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str)) + "\n")
