"""The alert rules: what each says by default, an admin's changes (AlertRule rows), and who
the recipients of a rule are for one case at one instant.

Recipients are named by what they are to the case, so a rule needs no editing when people
change: ``comms_on_duty`` (the comms team's roster), ``lead_on_duty`` and ``lead_head`` (the
lead agency's roster and heads), ``support_head`` (the heads of the supporting units, the
camat for a kecamatan office), ``assignee``, ``comms_coordinator`` and ``escalation`` (the
settings TANGGAP_ALERT_COMMS_COORDINATOR and TANGGAP_ALERT_ESCALATION), or ``user:NAME``.
A rule that finds nobody falls back on the comms coordinator, so no alert is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from store import roster
from store.errors import ExplainedError
from store.settings import get_settings
from store.tables import AlertRule, CaseSupport, StaffUser
from store.vocabulary import AGENCY_HEAD_ROLES, COMMS_TEAM

KINDS = ("comms_on_duty", "lead_on_duty", "lead_head", "support_head", "assignee", "comms_coordinator",
         "escalation")


@dataclass(frozen=True)
class Rule:
    name: str
    recipients: tuple[str, ...]
    enabled: bool = True
    threshold: int | None = None  # at_risk: percent of the target left; incident: cases


DEFAULTS: dict[str, Rule] = {r.name: r for r in (
    Rule("new_kritis", ("comms_on_duty", "lead_on_duty", "lead_head", "support_head")),
    Rule("new_tinggi", ("comms_on_duty",)),
    Rule("at_risk", ("assignee", "lead_head"), threshold=25),
    Rule("breached", ("escalation", "comms_coordinator")),
    Rule("incident", ("comms_on_duty", "lead_on_duty", "lead_head"), threshold=3),
)}
# Which rule a newly urgent case fires.
NEW_CASE_RULES = {"kritis": "new_kritis", "tinggi": "new_tinggi"}


class RuleError(ExplainedError):
    """A rule change Tanggap cannot store; the message says why."""


def load_rules(session: Session) -> dict[str, Rule]:
    rules = dict(DEFAULTS)
    for row in session.exec(select(AlertRule)).all():
        if row.rule in rules:
            rules[row.rule] = replace(rules[row.rule], enabled=row.enabled,
                                      recipients=tuple(row.recipients or rules[row.rule].recipients),
                                      threshold=row.threshold if row.threshold is not None
                                      else rules[row.rule].threshold)
    return rules


def check_recipients(session: Session, recipients: list[str]) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(r.strip() for r in recipients if r.strip()))
    for item in found:
        if item in KINDS:
            continue
        name = item.removeprefix("user:")
        if not item.startswith("user:") or session.exec(select(StaffUser.id).where(StaffUser.username == name)
                                                        ).first() is None:
            raise RuleError(f"unknown recipient {item!r}; use {', '.join(KINDS)} or user:NAME", "alert_recipient",
                            recipient=item)
    if not found:
        raise RuleError("a rule needs at least one recipient", "alert_recipient", recipient="")
    return found


@dataclass(frozen=True)
class CaseParties:
    """What recipient resolution needs of a case."""
    id: int
    lead_agency_code: str | None
    assignee_id: int | None
    # The supporting units when the caller knows them (an assignment's event is written
    # before its CaseSupport rows); None: read them.
    supporting: tuple[str, ...] | None = None


def recipients(session: Session, rule: Rule, case: CaseParties, at: datetime) -> list[int]:
    """Active staff ids the rule reaches for this case at this instant, each once."""
    found: list[int] = []
    for kind in rule.recipients:
        found += _resolve(session, kind, case, at)
    if not found:
        found = _usernames(session, [get_settings().alert_comms_coordinator or ""])
    return list(dict.fromkeys(found))


def _resolve(session: Session, kind: str, case: CaseParties, at: datetime) -> list[int]:
    settings = get_settings()
    lead = case.lead_agency_code
    if kind == "comms_on_duty":
        return roster.on_duty(session, COMMS_TEAM, at)
    if kind == "lead_on_duty":
        return roster.on_duty(session, lead, at) if lead else []
    if kind == "lead_head":
        return _heads(session, [lead] if lead else [])
    if kind == "support_head":
        units = case.supporting if case.supporting is not None else session.exec(
            select(CaseSupport.agency_code).where(CaseSupport.case_id == case.id)).all()
        return _heads(session, list(units))
    if kind == "assignee":
        return _usernames(session, []) if case.assignee_id is None else _active(session, [case.assignee_id])
    if kind == "comms_coordinator":
        return _usernames(session, [settings.alert_comms_coordinator or ""])
    if kind == "escalation":
        return _usernames(session, settings.alert_escalation.split(","))
    return _usernames(session, [kind.removeprefix("user:")])


def _heads(session: Session, agencies: list[str]) -> list[int]:
    if not agencies:
        return []
    return _ids(session.exec(select(StaffUser.id).where(col(StaffUser.agency_code).in_(agencies),
                                                        col(StaffUser.role).in_(AGENCY_HEAD_ROLES), StaffUser.active)
                             .order_by(col(StaffUser.id))).all())


def _usernames(session: Session, names: list[str]) -> list[int]:
    names = [n.strip().lower() for n in names if n.strip()]
    if not names:
        return []
    return _ids(session.exec(select(StaffUser.id).where(col(StaffUser.username).in_(names), StaffUser.active)).all())


def _active(session: Session, ids: list[int]) -> list[int]:
    return _ids(session.exec(select(StaffUser.id).where(col(StaffUser.id).in_(ids), StaffUser.active)).all())


def _ids(found) -> list[int]:
    return [i for i in found if i is not None]
