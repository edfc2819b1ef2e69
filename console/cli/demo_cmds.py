"""`tanggap demo`: demo users and demo data, for a demo on one's own machine."""

from __future__ import annotations

import typer

from console.cli.app import app, echo, friendly_errors


@app.command("demo")
@friendly_errors
def demo(if_empty: bool = typer.Option(False, "--if-empty", help="do nothing when the database has cases")) -> None:
    """Create demo staff accounts (printed with their demo passwords) and load a few hundred
    realistic mentions of the last 14 days through the file importer, then work them as staff
    would: routed, answered (some late), resolved, spam closed, the newest still open.
    Demo only: never run it against a production database.

    Example: tanggap demo --if-empty
    """
    from console.demo import load_demo

    report = load_demo(if_empty=if_empty)
    if report.skipped:
        echo("database already has cases; demo data not loaded (--if-empty)")
        return
    if report.users_created:
        echo("Demo accounts (demo passwords: for this machine only, change or remove them before real use):")
        for u in report.users_created:
            agency = f", {u.agency}" if u.agency else ""
            echo(f"  {u.username:<10} password {u.password:<16} {u.role}{agency}")
    else:
        echo("demo accounts exist already (passwords unchanged)")
    echo(f"imported {report.imported} of {report.read} demo mentions "
               f"({report.duplicates} already there, {report.rejected} rejected)")
    for line in report.rejects[:5]:
        echo(f"  rejected: {line}", err=True)
    if report.actions:
        echo("worked the new cases: " + ", ".join(f"{k} {v}" for k, v in sorted(report.actions.items())))
