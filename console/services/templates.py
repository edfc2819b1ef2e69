"""Reply templates (templat balasan): admins add, change and remove them (audited as admin
events); staff fill one in for a case. Placeholders are the four below and nothing else:
each is filled from the case's own record and reference data (its number, the lead agency's
name, the kecamatan's name, the due time in WIB), never from what a citizen wrote, so a
template can neither carry citizen text into a public reply nor a phone number, a NIK or a
child's name. Filling is a plain replacement of those four names (no str.format: a template
cannot reach attributes), and the result is plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from console.display import format_local
from console.services import policy
from console.services.admin import record, require_admin
from console.services.auth import Principal, refresh_principal
from console.services.errors import BadInput, NotFound
from console.services.policy import Action
from store import sla
from store.db import read_session, write_session
from store.settings import get_settings
from store.tables import Agency, Case, Kecamatan, ReplyTemplate
from store.types import utcnow
from store.vocabulary import CATEGORIES

PLACEHOLDERS = ("nomor_kasus", "dinas", "kecamatan", "batas_waktu")
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
ANY_BRACES = re.compile(r"\{[^{}]*\}")
NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
MAX_TEXT = 2000


@dataclass(frozen=True)
class TemplateRow:
    name: str
    category: str | None
    kind: str
    text: str


def list_templates(principal: Principal, category: str | None = None) -> list[TemplateRow]:
    """Templates for a category (and those for any category), or all of them."""
    with read_session() as session:
        refresh_principal(session, principal)
        query = select(ReplyTemplate).order_by(col(ReplyTemplate.name))
        rows = session.exec(query).all()
    return [TemplateRow(r.name, r.category, r.kind, r.text) for r in rows
            if category is None or r.category in (None, category)]


def save_template(principal: Principal, name: str, text: str, category: str | None = None,
                  kind: str = sla.ACKNOWLEDGEMENT) -> TemplateRow:
    name, text = name.strip().lower(), text.strip()
    if not NAME.match(name):
        raise BadInput("template name: lowercase letters, digits and '-', at most 64", "template_name")
    if not text or len(text) > MAX_TEXT:
        raise BadInput(f"template text: 1 to {MAX_TEXT} characters", "template_text")
    unknown = sorted({m for m in ANY_BRACES.findall(text) if not PLACEHOLDER.fullmatch(m)})
    if unknown:
        raise BadInput(f"unknown placeholder {', '.join(unknown)}; use {{{'}, {'.join(PLACEHOLDERS)}}}",
                       "template_placeholder", names=", ".join(unknown))
    if category is not None and category not in CATEGORIES:
        raise BadInput(f"unknown category {category!r}", "template_category", category=category)
    sla.check_kind(kind)
    with write_session() as session:
        principal = require_admin(session, principal)
        row = session.get(ReplyTemplate, name)
        old = {"category": row.category, "kind": row.kind, "text": row.text} if row else None
        row = row or ReplyTemplate(name=name, text=text)
        row.category, row.kind, row.text, row.updated_by, row.updated_at = category, kind, text, principal.id, utcnow()
        session.add(row)
        record(session, principal, "template_saved", name, old, {"category": category, "kind": kind, "text": text})
        return TemplateRow(name, category, kind, text)


def remove_template(principal: Principal, name: str) -> None:
    with write_session() as session:
        principal = require_admin(session, principal)
        row = session.get(ReplyTemplate, name)
        if row is None:
            raise NotFound(f"no template {name!r}")
        record(session, principal, "template_removed", name, {"category": row.category, "text": row.text}, None)
        session.delete(row)


def fill(principal: Principal, case_id: int, name: str) -> tuple[str, str]:
    """(the template's text filled in for the case, its kind)."""
    with read_session() as session:
        principal = refresh_principal(session, principal)
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"case {case_id} not found")
        policy.require(principal, Action.READ, policy.facts(session, case))
        row = session.get(ReplyTemplate, name)
        if row is None:
            raise BadInput(f"no template {name!r} (tanggap template list)", "template_unknown", name=name)
        return render(row.text, placeholder_values(session, case)), row.kind


def placeholder_values(session: Session, case: Case) -> dict[str, str]:
    agency = session.get(Agency, case.lead_agency_code) if case.lead_agency_code else None
    kecamatan = session.get(Kecamatan, case.kecamatan_code) if case.kecamatan_code else None
    return {"nomor_kasus": f"#{case.id}", "dinas": agency.name if agency else "dinas terkait",
            "kecamatan": kecamatan.name if kecamatan else "-",
            "batas_waktu": format_local(case.due_at, get_settings().zone) or "-"}


def render(text: str, values: dict[str, str]) -> str:
    """Each known placeholder replaced by its value; nothing else in the text is touched."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
