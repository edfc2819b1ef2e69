"""The one permission policy: may this user do this to that case (or agency)?

Every service, page and command asks `allowed()` / `require()` here, the way Datasette asks
`permission_allowed`; nothing else compares role names. The rules are data: ``GRANTS`` says,
for each role and action, through which relations to a case the action is allowed:

- ``ANY``: every case;
- ``LEAD``: the user's agency leads the case;
- ``SUPPORT``: the user's agency is a supporting unit on the case;
- ``ASSIGNEE``: the case is assigned to the user;
- ``CHILD_PROTECTION``: the user works for the child-protection agency
  (``TANGGAP_CHILD_PROTECTION_AGENCY``, DP3A by default).

Restricted cases (children's cases and any case staff mark restricted, UU 35/2014 and
UU 27/2022) add one rule on top: nobody reads them through ``ANY`` except admins and the
comms team; an agency reads them only when it leads or supports the case, or is the
child-protection agency. Viewers never see them, not even in counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, select

from console.services.errors import NotFound, PermissionDenied
from store.settings import get_settings
from store.tables import CaseSupport
from store.vocabulary import AGENCY_ROLES


class Action(StrEnum):
    LIST_ALL = "list_all"                  # the triage inbox over every case
    READ = "read"                          # open a case, see it in a queue
    RESPOND = "respond"                    # log a response
    ASSIGN = "assign"                      # choose the assignee inside the lead agency
    HAND_OVER = "hand_over"                # change the lead agency or the supporting units
    RESOLVE = "resolve"                    # resolve or reopen
    RETAG = "retag"                        # change category, urgency, kecamatan
    CLOSE = "close"                        # close as not actionable (one case or many)
    RESTRICT = "restrict"                  # mark a case restricted, or lift the mark
    SEE_PHONE = "see_phone"                # full phone numbers (authors and text)
    SEE_RESTRICTED_TEXT = "see_restricted_text"  # a restricted case's text and author in exports
    EXPORT = "export"                      # files of cases or statistics
    STATS = "stats"                        # the Statistik page and `tanggap stats`
    ADMINISTER = "administer"              # users, agencies, routing, targets, sources, model
    BE_ASSIGNED = "be_assigned"            # may be the assignee of a case
    IMPORT = "import"                      # load a file of mentions (LAPOR! export, workbook, chat)
    REPLY = "reply"                        # write a reply to the citizen, sent on the platform they used
    APPROVE_REPLY = "approve_reply"        # approve a reply for sending, or send it back with a comment


class Relation(StrEnum):
    ANY = "any"
    LEAD = "lead"
    SUPPORT = "support"
    ASSIGNEE = "assignee"
    CHILD_PROTECTION = "child_protection"


ANY, LEAD, SUPPORT, ASSIGNEE, CHILD = (Relation.ANY, Relation.LEAD, Relation.SUPPORT, Relation.ASSIGNEE,
                                       Relation.CHILD_PROTECTION)
A = Action

# role → action → the relations through which it is allowed. An action missing for a role is refused.
GRANTS: dict[str, dict[Action, frozenset[Relation]]] = {
    "admin": {action: frozenset({ANY}) for action in Action},
    "komunikasi": {
        A.LIST_ALL: frozenset({ANY}), A.READ: frozenset({ANY}), A.RESPOND: frozenset({ANY}),
        A.ASSIGN: frozenset({ANY}), A.HAND_OVER: frozenset({ANY}), A.RESOLVE: frozenset({ANY}),
        A.RETAG: frozenset({ANY}), A.CLOSE: frozenset({ANY}), A.RESTRICT: frozenset({ANY}),
        A.EXPORT: frozenset({ANY}), A.STATS: frozenset({ANY}), A.BE_ASSIGNED: frozenset({ANY}),
        A.IMPORT: frozenset({ANY}), A.REPLY: frozenset({ANY}),
        # The regent's accounts speak with one voice: the comms team approves what agencies draft.
        A.APPROVE_REPLY: frozenset({ANY}),
        # The comms team triages; the number is for whoever calls the citizen back.
        A.SEE_PHONE: frozenset({ASSIGNEE}),
    },
    "kepala_dinas": {
        A.READ: frozenset({LEAD, SUPPORT, CHILD}), A.RESPOND: frozenset({LEAD, SUPPORT}),
        # A lead agency works its case (assignee, tags, resolution) but cannot hand it away:
        # the lead agency and the supporting units are the comms team's choice.
        A.ASSIGN: frozenset({LEAD}), A.RESOLVE: frozenset({LEAD}), A.RETAG: frozenset({LEAD}),
        A.RESTRICT: frozenset({LEAD, CHILD}), A.SEE_PHONE: frozenset({LEAD, ASSIGNEE}),
        A.SEE_RESTRICTED_TEXT: frozenset({CHILD}), A.EXPORT: frozenset({LEAD, SUPPORT}),
        A.STATS: frozenset({LEAD, SUPPORT}), A.BE_ASSIGNED: frozenset({LEAD}),
        A.REPLY: frozenset({LEAD, SUPPORT}),
    },
    # An agency's officer works its cases: reads and responds where the agency leads or
    # supports, resolves where it leads; the head assigns, so an officer neither assigns nor
    # hands over, and exports and administration are not theirs.
    "petugas": {
        A.READ: frozenset({LEAD, SUPPORT}), A.RESPOND: frozenset({LEAD, SUPPORT}), A.RESOLVE: frozenset({LEAD}),
        A.SEE_PHONE: frozenset({ASSIGNEE}), A.STATS: frozenset({LEAD, SUPPORT}), A.BE_ASSIGNED: frozenset({LEAD}),
        # The officer on the spot answers the citizen too; TANGGAP_REPLY_APPROVAL decides who approves.
        A.REPLY: frozenset({LEAD, SUPPORT}),
    },
    "viewer": {A.LIST_ALL: frozenset({ANY}), A.READ: frozenset({ANY}), A.STATS: frozenset({ANY})},
}

# Roles that read restricted cases through ANY (the others need a relation to the case).
RESTRICTED_READERS_ANY = frozenset({"admin", "komunikasi"})

# The console's menu per role. Showing a page is not security: every service checks again.
PAGES: dict[str, tuple[str, ...]] = {
    "admin": ("triage", "case", "incidents", "agency", "stats", "export", "admin"),
    "komunikasi": ("triage", "case", "incidents", "agency", "stats", "export", "admin"),  # admin: the import form only
    "kepala_dinas": ("agency", "case", "stats", "export"),
    "petugas": ("agency", "case", "stats"),
    "viewer": ("triage", "case", "agency", "stats"),
}


@dataclass(frozen=True)
class CaseFacts:
    """What the policy needs to know about one case."""
    id: int
    lead_agency_code: str | None
    assignee_id: int | None
    restricted: bool
    supporting: frozenset[str]

    @classmethod
    def of(cls, case, supporting: Iterable[str]) -> CaseFacts:
        return cls(id=case.id, lead_agency_code=case.lead_agency_code, assignee_id=case.assignee_id,
                   restricted=bool(getattr(case, "restricted", False)), supporting=frozenset(supporting))


def facts(session: Session, case) -> CaseFacts:
    supporting = session.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case.id)).all()
    return CaseFacts.of(case, supporting)


def child_protection_agency() -> str:
    return get_settings().child_protection_agency


def relations(principal, case: CaseFacts) -> frozenset[Relation]:
    found = {ANY}
    agency = principal.agency_code
    if agency and agency == case.lead_agency_code:
        found.add(LEAD)
    if agency and agency in case.supporting:
        found.add(SUPPORT)
    if case.assignee_id is not None and case.assignee_id == principal.id:
        found.add(ASSIGNEE)
    if case.restricted and agency and agency == child_protection_agency():
        found.add(CHILD)  # only children's and other restricted cases, never the rest
    return frozenset(found)


def grants(role: str, action: Action) -> frozenset[Relation]:
    return GRANTS.get(role, {}).get(action, frozenset())


def allowed(principal, action: Action, case: CaseFacts | None = None) -> bool:
    """May ``principal`` do ``action``: to ``case``, or (without a case) to some case at all."""
    granted = grants(principal.role, action)
    if case is None:
        return bool(granted)
    if case.restricted and not _may_see_restricted(principal, case):
        return False
    return bool(granted & relations(principal, case))


def _may_see_restricted(principal, case: CaseFacts) -> bool:
    if principal.role in RESTRICTED_READERS_ANY:
        return True
    return bool(relations(principal, case) & {LEAD, SUPPORT, CHILD}) and bool(grants(principal.role, A.READ))


def require(principal, action: Action, case: CaseFacts | None = None) -> None:
    """Raise unless allowed. A case the user may not even read answers "not found", the same
    as a missing one, so nothing leaks about other agencies' or children's cases."""
    if allowed(principal, action, case):
        return
    if case is not None and action is not A.READ and not allowed(principal, A.READ, case):
        raise NotFound(f"case {case.id} not found")
    if action is A.READ and case is not None:
        raise NotFound(f"case {case.id} not found")
    raise PermissionDenied(f"role {principal.role} may not {action.value}" + (f" case {case.id}" if case else ""))


@dataclass(frozen=True)
class ListScope:
    """Which cases a list, a count or an export may contain for one user: every case, or the
    cases an agency leads or supports; restricted cases hidden where the user may not read them."""
    agency: str | None
    hide_restricted: bool


def list_scope(principal, action: Action = A.READ) -> ListScope:
    """The rows ``action`` (READ for queues, EXPORT, STATS) may cover for this user."""
    granted = grants(principal.role, action)
    if ANY in granted:
        return ListScope(agency=None, hide_restricted=principal.role not in RESTRICTED_READERS_ANY)
    if granted & {LEAD, SUPPORT} and principal.agency_code:
        # Restricted cases an agency leads or supports are its own work: shown.
        return ListScope(agency=principal.agency_code, hide_restricted=False)
    raise PermissionDenied(f"role {principal.role} may not {action.value}")


def pages(principal) -> tuple[str, ...]:
    return PAGES.get(principal.role, ())


def may(principal, action: Action) -> bool:
    """Whether to offer an action at all (menus, buttons); the action itself checks again."""
    return allowed(principal, action)


def assignable_roles() -> tuple[str, ...]:
    """Roles whose users can be a case's assignee."""
    return tuple(role for role, table in GRANTS.items() if table.get(A.BE_ASSIGNED))


def may_be_assignee(user, lead_agency_code: str | None) -> bool:
    """Whether ``user`` can be given a case led by ``lead_agency_code``: a staff member of that
    agency, or of the comms team (no agency). Viewers never."""
    granted = grants(user.role, A.BE_ASSIGNED)
    if ANY in granted:
        return True
    return LEAD in granted and user.agency_code is not None and user.agency_code == lead_agency_code


def is_agency_role(role: str) -> bool:
    """Roles that belong to one agency (the vocabulary says which; their grants go through
    LEAD/SUPPORT, never ANY, which tests/security/test_policy_matrix.py pins)."""
    return role in AGENCY_ROLES
