"""`tanggap webhook serve`: the WhatsApp webhook (collectors/wa_webhook.py) under uvicorn."""

from __future__ import annotations

import logging

import typer

from console.cli.app import CommandError, app, friendly_errors, require_schema

webhook_app = typer.Typer(help="The WhatsApp Business Platform webhook.", no_args_is_help=True)
app.add_typer(webhook_app, name="webhook")


@webhook_app.command("serve")
@friendly_errors
def serve(host: str | None = typer.Option(None, "--host", help="address to listen on (default: "
                                          "TANGGAP_WHATSAPP_WEBHOOK_HOST, 127.0.0.1)"),
          port: int | None = typer.Option(None, "--port", min=1, max=65535,
                                          help="port (default: TANGGAP_WHATSAPP_WEBHOOK_PORT, 8502)")) -> None:
    """Receive WhatsApp deliveries at /webhook/whatsapp until Ctrl+C or SIGTERM.

    Needs TANGGAP_WHATSAPP_APP_SECRET and TANGGAP_WHATSAPP_VERIFY_TOKEN. Signed deliveries
    are stored and answered at once; `tanggap worker` ingests them. Put it behind the HTTPS
    reverse proxy (README: WhatsApp).

    Example: tanggap webhook serve --host 127.0.0.1 --port 8502
    """
    from collectors.errors import MissingSettings
    from collectors.wa_webhook import serve as run
    from store.redaction import configure_logging
    from store.settings import get_settings
    configure_logging(logging.INFO)
    require_schema()
    settings = get_settings()
    try:
        run(settings, host or settings.whatsapp_webhook_host, port or settings.whatsapp_webhook_port)
    except MissingSettings as exc:
        raise CommandError(str(exc)) from exc
