"""The Typer application and the helpers every command module shares."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import typer

from store.db import DatabaseConfigError
from store.settings import SettingsError

app = typer.Typer(help="Tanggap: social-media monitoring and response for Pemkab Banyuwangi.",
                  no_args_is_help=True, add_completion=False)


class CommandError(Exception):
    """Raised by a command for a plain user error; printed as one line, exit code 1."""


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def friendly_errors(func: Callable) -> Callable:
    """Turn the library's named errors into one clear line on stderr and exit code 1
    (2 for configuration errors), instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        from console.services import ServiceError
        from store.cases import CaseError
        from store.sla import ResponseTimeError
        from store.users import UserError
        try:
            return func(*args, **kwargs)
        except (DatabaseConfigError, SettingsError) as exc:
            fail(str(exc), code=2)
        except (ServiceError, CommandError, CaseError, ResponseTimeError, UserError) as exc:
            fail(str(exc))

    return wrapper


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
