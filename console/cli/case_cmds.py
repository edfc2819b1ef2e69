"""`tanggap case …`: list, show and act on cases. Actions are audited under --as."""

from __future__ import annotations

from datetime import datetime

import typer

from console.cli.app import app, bad_argument, echo, friendly_errors, one_of, print_json
from console.cli.terminal import safe
from store.vocabulary import CASE_STATUSES, RESPONSE_CHANNELS

case_app = typer.Typer(help="Cases: list, show, assign, respond, change a response's kind, resolve, "
                            "re-tag, close.",
                       no_args_is_help=True)
app.add_typer(case_app, name="case")

AS_OPTION = typer.Option(..., "--as", help="username the action is done and audited as")
READ_AS_OPTION = typer.Option(..., "--as", help="read with this user's permissions (required: shell access "
                                                "is admin trust, so the CLI never picks a user itself)")
MAX_CASE_ID = 2**31 - 1  # case ids are PostgreSQL integers
CASE_ID = typer.Argument(..., min=1, max=MAX_CASE_ID, help="case number, e.g. 42")
EXPECTED_VERSION = typer.Option(None, "--expected-version", min=1,
                                help="the case version you read (`case show`); the change is refused if "
                                     "someone changed the case since (default: the version read just before)")


def _principal(username: str):
    from console.services.auth import principal_for
    from store.db import read_session
    with read_session() as session:
        return principal_for(session, username)


def _case_dict(case, zone) -> dict:
    """`sla` is the handling clock (the SOP's); `acknowledgement_sla` the acknowledgement clock."""
    from console.display import format_local
    from store.sla import clocks
    from store.types import utcnow
    both = clocks(case, utcnow())
    return {
        "id": case.id, "status": case.status, "platform": case.platform, "category": case.category,
        "urgency": case.urgency, "lead_agency": case.lead_agency_code, "kecamatan": case.kecamatan_code,
        "opened_at": format_local(case.opened_at, zone), "due_at": format_local(case.due_at, zone),
        "ack_due_at": format_local(case.ack_due_at, zone),
        "first_response_at": format_local(case.first_response_at, zone),
        "first_handling_at": format_local(case.first_handling_at, zone),
        "resolved_at": format_local(case.resolved_at, zone),
        "sla": both.handling.state.value, "acknowledgement_sla": both.acknowledgement.state.value,
        "version": case.version, "summary": case.summary,
    }


@case_app.command("list")
@friendly_errors
def list_cases(status: list[str] = typer.Option([], callback=one_of(CASE_STATUSES),
                                               help="status filter, repeatable (default: open)"),
               limit: int = typer.Option(50, min=1, max=10_000, help="at most this many cases"),
               as_user: str = READ_AS_OPTION,
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Cases in triage order (unassigned first, by urgency, then due time).

    Example: tanggap case list --status new --json --as ani
    """
    from console.services import cases, privacy
    from store.queries import CaseFilter
    from store.settings import get_settings
    zone = get_settings().zone
    principal = _principal(as_user)
    rows = cases.list_cases(principal, CaseFilter(statuses=tuple(status)), limit=limit)
    data = [{**_case_dict(c, zone), "summary": privacy.text_for(principal, privacy.row_facts(c), c.summary)}
            for c in rows]
    if as_json:
        print_json(data)
        return
    for d in data:
        echo(f"#{d['id']:<7} {d['status']:<10} {d['urgency'] or '-':<7} {d['category'] or '-':<18} "
             f"due {d['due_at']:<22} {d['sla']:<9} {safe(d['summary'], one_line=True)[:60]}")


@case_app.command("show")
@friendly_errors
def show(case_id: int = CASE_ID, as_user: str = READ_AS_OPTION,
         as_json: bool = typer.Option(False, "--json")) -> None:
    """One case with its mentions and timeline (citizen text on one line each; --json has it whole).

    Example: tanggap case show 42 --json --as ani
    """
    from console.display import format_local
    from console.services import cases
    from store.settings import get_settings
    zone = get_settings().zone
    from console.services import privacy
    principal = _principal(as_user)
    detail = cases.case_detail(principal, case_id)
    data = _case_dict(detail.case, zone)
    data["summary"] = privacy.text_for(principal, privacy.row_facts(detail.case), detail.case.summary)
    data["restricted"] = detail.case.restricted
    data["supporting_units"] = detail.supporting
    data["assignee"] = detail.assignee.username if detail.assignee else None
    data["mentions"] = [{"platform": m.platform, "external_id": m.external_id, "author": m.author,
                         "created_at": format_local(m.created_at, zone), "text": m.text,
                         "permalink": m.permalink} for m in detail.mentions]
    data["timeline"] = [{"id": e.id, "at": format_local(e.happened_at, zone),
                         "logged_at": format_local(e.logged_at, zone), "by": e.actor_label, "action": e.action,
                         "old": e.old_value, "new": e.new_value, "note": e.note, "response": e.response_text,
                         "channel": e.response_channel, "kind": e.response_kind}
                        for e in detail.timeline]
    if as_json:
        print_json(data)
        return
    for key in ("id", "status", "category", "urgency", "lead_agency", "assignee", "supporting_units",
                "opened_at", "due_at", "first_handling_at", "sla", "ack_due_at", "first_response_at",
                "acknowledgement_sla", "resolved_at"):
        echo(f"{key:>18}: {data[key]}")
    echo(f"{'version':>18}: {data['version']}")
    for m in data["mentions"]:
        echo(f"  [{m['platform']} {m['created_at']}] {safe(m['author'] or '', one_line=True)}: "
             f"{safe(m['text'], one_line=True)}")
    for e in data["timeline"]:
        kind = f"#{e['id']} {e['kind']}: " if e["kind"] else ""
        echo(f"  {e['at']}  {safe(e['by'], one_line=True):<16} {e['action']:<16} "
             f"{kind}{safe(e['response'] or e['note'] or '', one_line=True)}")


@case_app.command("assign")
@friendly_errors
def assign(case_id: int = CASE_ID, agency: str = typer.Option(..., help="lead agency code, e.g. DINKES"),
           to: str | None = typer.Option(None, help="staff username"),
           support: list[str] = typer.Option([], help="supporting unit code, repeatable"),
           expected_version: int | None = EXPECTED_VERSION, as_user: str = AS_OPTION) -> None:
    """Assign a case to a lead agency (and optionally a staff member and supporting units).

    Example: tanggap case assign 42 --agency DINKES --support KEC_GENTENG --as komunikasi1
    """
    from console.services import cases
    principal = _principal(as_user)
    # No --support keeps the supporting units as they are (an agency head may not change them).
    case = cases.assign(principal, case_id, _version(principal, case_id, expected_version), agency_code=agency,
                        assignee=to, supporting=support or None)
    echo(f"case {case.id} assigned to {case.lead_agency_code} (status {case.status})")


@case_app.command("respond")
@friendly_errors
def respond(case_id: int = CASE_ID, text: str = typer.Option(..., help="what was done or said"),
            channel: str = typer.Option(..., callback=one_of(RESPONSE_CHANNELS),
                                        help="platform_reply, phone, whatsapp or field_visit"),
            kind: str | None = typer.Option(None, help="acknowledgement or handling (default: by channel; "
                                                       "field_visit and phone are handling)"),
            at: str | None = typer.Option(None, help="when it really happened, ISO time (default now)"),
            expected_version: int | None = EXPECTED_VERSION, as_user: str = AS_OPTION) -> None:
    """Log a response. Any kind stops the acknowledgement clock; a handling one (help given,
    a visit, a complete answer) stops the handling clock, the SOP's.

    Example: tanggap case respond 42 --text "Tim puskesmas sudah datang" --channel field_visit \\
      --kind handling --at 2026-11-29T20:30+07:00 --as komunikasi1
    """
    from console.services import cases
    happened = _parse_time(at) if at else None
    principal = _principal(as_user)
    case = cases.respond(principal, case_id, _version(principal, case_id, expected_version), text=text,
                         channel=channel, kind=kind, happened_at=happened)
    echo(f"case {case.id} responded (status {case.status})")


@case_app.command("kind")
@friendly_errors
def change_kind(case_id: int, response: int = typer.Option(..., help="the response's id (case show)"),
                kind: str = typer.Option(..., help="acknowledgement or handling"),
                as_user: str = AS_OPTION) -> None:
    """Correct the kind of a logged response; the clocks follow and the change is audited.

    Example: tanggap case kind 42 --response 317 --kind handling --as komunikasi1
    """
    from console.services import cases
    case = cases.change_response_kind(_principal(as_user), case_id, None, event_id=response, kind=kind)
    echo(f"case {case.id}: response {response} is now {kind}")


@case_app.command("resolve")
@friendly_errors
def resolve(case_id: int = CASE_ID, note: str | None = typer.Option(None),
            expected_version: int | None = EXPECTED_VERSION, as_user: str = AS_OPTION) -> None:
    """Mark a case resolved.

    Example: tanggap case resolve 42 --as komunikasi1
    """
    from console.services import cases
    principal = _principal(as_user)
    case = cases.resolve(principal, case_id, _version(principal, case_id, expected_version), note=note)
    echo(f"case {case.id} resolved")


@case_app.command("retag")
@friendly_errors
def retag(case_id: int = CASE_ID,
          category: str | None = typer.Option(None, help="category id or Indonesian label, e.g. kesehatan or "
                                                         "\"Perlindungan Anak\" (default: keep)"),
          urgency: str | None = typer.Option(None, help="kritis, tinggi, sedang or rendah (default: keep)"),
          expected_version: int | None = EXPECTED_VERSION, as_user: str = AS_OPTION) -> None:
    """Correct a case's category and/or urgency, as the case page's "Ubah tag" does: the due
    times follow the new urgency, and the correction is kept as feedback for retraining.

    Example: tanggap case retag 42 --category kemiskinan --urgency tinggi --as komunikasi1
    """
    from console.services import cases
    if category is None and urgency is None:
        raise bad_argument("--category/--urgency", "give --category, --urgency or both")
    category_id, urgency_id = _tag_id("category", category), _tag_id("urgency", urgency)
    principal = _principal(as_user)
    case = cases.retag(principal, case_id, _version(principal, case_id, expected_version),
                       category=category_id, urgency=urgency_id)
    echo(f"case {case.id} re-tagged {case.category}/{case.urgency} (kept as feedback)")


@case_app.command("close")
@friendly_errors
def close(case_id: int = CASE_ID, reason: str = typer.Option(..., help="why nothing is to be done (spam, "
                                                                      "a greeting, a duplicate …)"),
          expected_version: int | None = EXPECTED_VERSION, as_user: str = AS_OPTION) -> None:
    """Close a case as not actionable; the reason is kept in the timeline.

    Example: tanggap case close 42 --reason "spam promosi" --as komunikasi1
    """
    from console.services import cases
    if not reason.strip():
        raise bad_argument("--reason", "say why the case is closed")
    principal = _principal(as_user)
    case = cases.close_no_action(principal, case_id, _version(principal, case_id, expected_version),
                                 note=reason.strip())
    echo(f"case {case.id} closed as not actionable")


def _tag_id(head: str, name: str | None) -> str | None:
    from classifier.taxonomy import resolve
    if name is None:
        return None
    try:
        return resolve(head, name)
    except KeyError as exc:
        raise bad_argument(f"--{head}", exc.args[0]) from None


def _version(principal, case_id: int, given: int | None) -> int:
    """The version the change is checked against: the one the operator read, else the one
    read now, so a change made by anyone in between is a conflict, never overwritten."""
    from console.services import cases
    return given if given is not None else cases.case_detail(principal, case_id).case.version


@case_app.command("restrict")
@friendly_errors
def restrict(case_id: int, off: bool = typer.Option(False, "--off", help="lift the restriction instead"),
             note: str | None = typer.Option(None, help="why (kept in the timeline)"),
             expected_version: int | None = EXPECTED_VERSION, as_user: str = AS_OPTION) -> None:
    """Mark a case restricted (only admins, the comms team, the child-protection agency and the
    agencies on the case see it), or lift the mark with --off. Child-protection cases are
    restricted by their tag.

    Example: tanggap case restrict 42 --note "kekerasan dalam rumah tangga" --as komunikasi1
    """
    from console.services import cases
    principal = _principal(as_user)
    case = cases.set_restricted(principal, case_id, _version(principal, case_id, expected_version), not off,
                                note=note)
    echo(f"case {case.id} {'restricted' if case.restricted else 'not restricted'}")


def _parse_time(value: str) -> datetime:
    """ISO time; without an offset it is read as display-zone (WIB) time."""
    from store.settings import get_settings
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise bad_argument("--at", f"{value!r} is not an ISO time such as 2026-11-29T20:30+07:00") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=get_settings().zone)
