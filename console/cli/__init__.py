"""The ``tanggap`` command. Each sub-module adds its commands; each command calls one
service function and turns its errors into one clear line and a non-zero exit."""

from console.cli import (  # noqa: F401  (register commands)
    case_cmds,
    collect_cmds,
    db_cmds,
    demo_cmds,
    export_cmds,
    feedback_cmds,
    model_cmds,
    reply_cmds,
    roster_cmds,
    routing_cmds,
    serve_cmds,
    stats_cmds,
    user_cmds,
    webhook_cmds,
    worker_cmds,
)
from console.cli.app import app

__all__ = ["app"]
