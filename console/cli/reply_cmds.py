"""`tanggap case reply`, `tanggap case approve-reply` and `tanggap template …`: replies sent
to the citizen on the platform they used, by the worker's sender."""

from __future__ import annotations

import typer

from console.cli.app import CommandError, app, echo, friendly_errors
from console.cli.case_cmds import AS_OPTION, CASE_ID, case_app
from console.cli.terminal import safe

template_app = typer.Typer(help="Reply templates (templat balasan): list, add or change, remove.",
                           no_args_is_help=True)
app.add_typer(template_app, name="template")


def _principal(username: str):
    from console.cli.case_cmds import _principal as principal
    return principal(username)


@case_app.command("reply")
@friendly_errors
def reply(case_id: int = CASE_ID,
          text: str | None = typer.Option(None, help="the reply (default: the template filled in for the case)"),
          template: str | None = typer.Option(None, help="a template's name (tanggap template list)"),
          kind: str | None = typer.Option(None, help="acknowledgement or handling (default: the template's, "
                                                     "else acknowledgement)"),
          allow_personal: bool = typer.Option(False, "--allow-personal",
                                              help="send a public reply that names a phone number, a NIK "
                                                   "or a child anyway"),
          as_user: str = AS_OPTION) -> None:
    """Reply to the citizen where they wrote (X, Facebook, SMS; an import's reply is sent by hand).
    The worker sends it once approved (TANGGAP_REPLY_APPROVAL); `case show` shows its state.

    Example: tanggap case reply 42 --template diterima-diteruskan --as ani
    """
    from console.services import replies, templates
    principal = _principal(as_user)
    if text is None:
        if template is None:
            raise CommandError("give --text or --template")
        text, template_kind = templates.fill(principal, case_id, template)
        kind = kind or template_kind
    view = replies.draft(principal, case_id, text, template=template, kind=kind, allow_personal=allow_personal)
    where = "to be sent by hand" if view.state == "manual" else f"on {view.platform}"
    echo(f"reply {view.id} on case {case_id}: {view.state} ({where})")


@case_app.command("approve-reply")
@friendly_errors
def approve_reply(reply_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="the reply's number"),
                  send_back: bool = typer.Option(False, "--send-back", help="send it back to its writer instead"),
                  comment: str | None = typer.Option(None, help="why it is sent back (required with --send-back)"),
                  as_user: str = AS_OPTION) -> None:
    """Approve a drafted reply for sending, or send it back with a comment. Audited.

    Example: tanggap case approve-reply 7 --send-back --comment "sebutkan jadwal kunjungan" --as ani
    """
    from console.services import replies
    principal = _principal(as_user)
    view = replies.send_back(principal, reply_id, comment or "") if send_back else replies.approve(principal, reply_id)
    echo(f"reply {view.id}: {view.state}")


@template_app.command("list")
@friendly_errors
def list_templates(category: str | None = typer.Option(None, help="only those for this category (and any)"),
                   as_user: str = AS_OPTION) -> None:
    """The reply templates with their text.

    Example: tanggap template list --category infrastruktur --as ani
    """
    from console.services import templates
    for row in templates.list_templates(_principal(as_user), category):
        echo(f"{row.name:<28} {row.category or '*':<18} {row.kind:<15} {safe(row.text, one_line=True)}")


@template_app.command("add")
@friendly_errors
def add(name: str = typer.Argument(..., help="short name, e.g. jalan-diperbaiki"),
        text: str = typer.Option(..., help="the text, with {nomor_kasus} {dinas} {kecamatan} {batas_waktu}"),
        category: str | None = typer.Option(None, help="the category it is for (default: any)"),
        kind: str = typer.Option("acknowledgement", help="acknowledgement or handling"),
        as_user: str = AS_OPTION) -> None:
    """Add a reply template, or change the one with this name (admins; audited).

    Example: tanggap template add jalan-diperbaiki --text "Jalan di Kecamatan {kecamatan} sudah diperbaiki." \\
      --category infrastruktur --kind handling --as admin
    """
    from console.services import templates
    row = templates.save_template(_principal(as_user), name, text, category, kind)
    echo(f"template {row.name} saved")


@template_app.command("remove")
@friendly_errors
def remove(name: str, as_user: str = AS_OPTION) -> None:
    """Remove a reply template (admins; audited).

    Example: tanggap template remove jalan-diperbaiki --as admin
    """
    from console.services import templates
    templates.remove_template(_principal(as_user), name)
    echo(f"template {name} removed")
