"""`tanggap db …`: schema migrations."""

import typer

from console.cli.app import app, echo, friendly_errors

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@friendly_errors
def upgrade(revision: str = typer.Argument("head", help="Alembic revision to reach")) -> None:
    """Create or migrate the database named by TANGGAP_DATABASE_URL and add reference data.

    Example: TANGGAP_DATABASE_URL=sqlite:///var/tanggap.db tanggap db upgrade
    """
    from store.migrate import current_revision
    from store.migrate import upgrade as run_upgrade
    run_upgrade(revision=revision)
    echo(f"database at revision {current_revision()}")
