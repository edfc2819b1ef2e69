"""`tanggap routing …`: routing at intake (the threshold; the routing table is on the Admin page)."""

import typer

from console.cli.app import app, echo, friendly_errors

routing_app = typer.Typer(help="Routing at intake.", no_args_is_help=True)
app.add_typer(routing_app, name="routing")


@routing_app.command("threshold")
@friendly_errors
def threshold(value: float | None = typer.Argument(None, help="new threshold, a probability (0 < value ≤ 1); "
                                                   "without it, show the one in force"),
              reset: bool = typer.Option(False, "--reset", help="drop the admin's value: the model's applies"),
              as_user: str = typer.Option(..., "--as", help="the admin the change is done and audited as")) -> None:
    """Show or set the routing threshold: a new case (or an unassigned one a follow-up makes
    surer) is assigned at intake to the agency the routing table names when the model's
    probability of its category is at least this. Without an admin value, the active model's
    applies (chosen by cross-validation, in its model card).

    Example: tanggap routing threshold 0.7 --as admin
    """
    from console.services import routing
    from console.services.auth import principal_for
    from store.db import read_session
    with read_session() as session:
        principal = principal_for(session, as_user)
    if value is not None and reset:
        raise typer.BadParameter("give a value or --reset, not both")
    if value is not None or reset:
        shown = routing.set_routing_threshold(principal, None if reset else value)
    else:
        shown = routing.routing_threshold(principal)
    in_force = "none (nothing is routed at intake)" if shown.value is None else f"{shown.value:g}"
    model = "none" if shown.model_value is None else f"{shown.model_value:g}"
    echo(f"routing threshold {in_force} (from: {shown.source}; the model's: {model})")
