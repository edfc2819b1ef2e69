"""Exports of cases and of response-time statistics, as CSV and XLSX, for the Ekspor page
and `tanggap export`. Permissions and formula neutralisation live here, so the page and
the command cannot differ.

- Cases stream from a server-side cursor (store.queries.export_rows) straight into the
  file: CSV row by row, XLSX through xlsxwriter's constant_memory mode (the formats:
  console.services.sheets), so 1,000,000 cases never sit in memory at once.
- Every time is in the display zone (WIB): text in CSV, an Excel date-time in XLSX.
- CSV: a text cell that a spreadsheet would read as a formula (first character =, +, -, @,
  tab or carriage return) is prefixed with a single quote. XLSX: text is written with
  write_string, a string cell that never runs, so it is written as it is (a visible quote
  would only confuse: `'+62…`).
- Phone numbers (senders, numbers inside the text) follow privacy.py's one rule: full only
  for admins and for the case's assignee and lead agency. A restricted case's text and author
  read "[dilindungi]" for everyone but admins and the child-protection agency; viewers may
  not export at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from console.services import labels, policy, privacy, sheets
from console.services.auth import Principal, refresh_principal
from console.services.errors import BadInput, ServiceError
from console.services.policy import Action
from console.services.stats import day_range
from store import queries
from store import stats as store_stats
from store.db import read_session
from store.formulas import neutralise as store_neutralise
from store.settings import get_settings
from store.sla import clocks
from store.tables import Agency, Kecamatan
from store.types import utcnow
from store.vocabulary import CASE_STATUSES

FORMATS = ("csv", "xlsx")
WHATS = ("cases", "stats")

CASE_COLUMNS = (
    "case_id", "status", "platform", "category", "category_label", "urgency", "urgency_label",
    "tagged_by", "lead_agency", "lead_agency_name", "assignee", "kecamatan_code", "kecamatan",
    "opened_at_wib", "due_at_wib", "ack_due_at_wib", "first_response_at_wib", "first_handling_at_wib",
    "resolved_at_wib", "first_response_minutes", "handling_minutes", "resolution_minutes", "sla_result",
    "ack_sla_result", "mention_count", "author", "summary",
)
TIME_COLUMNS = ("opened_at_wib", "due_at_wib", "ack_due_at_wib", "first_response_at_wib", "first_handling_at_wib",
                "resolved_at_wib")

STAT_SECTIONS = (  # (section id = grouping, XLSX sheet title)
    ("overall", "Ringkasan"),
    ("agency", "Per Dinas"),
    ("category", "Per Kategori"),
    ("platform", "Per Platform"),
    ("urgency", "Per Urgensi"),
    ("week", "Per Minggu"),
)
# Unprefixed: the handling clock (the SOP's); ack_: the acknowledgement clock.
STAT_COLUMNS = ("section", "group", "group_label", "cases", "handled", "met", "missed", "breached_open",
                "breaches", "pct_within_target", "median_minutes", "p90_minutes", "acknowledged", "ack_met",
                "ack_missed", "ack_breached_open", "ack_breaches", "pct_acknowledged_within_target",
                "ack_median_minutes", "ack_p90_minutes")

@dataclass(frozen=True)
class ExportResult:
    what: str
    fmt: str
    rows: int
    agency: str | None  # the agency the export was limited to (forced for an agency head)


def case_filter(start: date | None = None, end: date | None = None, agency: str | None = None,
                categories: Sequence[str] = (), urgencies: Sequence[str] = (), platforms: Sequence[str] = (),
                statuses: Sequence[str] = ()) -> queries.CaseFilter:
    """The page's and the command's filters: local (WIB) calendar days, every status unless
    some are chosen (an export is a report, not the open queue)."""
    lo, hi = day_range(start, end)
    return queries.CaseFilter(platforms=tuple(platforms), categories=tuple(categories),
                              urgencies=tuple(urgencies), statuses=tuple(statuses), agency=agency or None,
                              opened_from=lo, opened_to=hi)


def export_scope(session: Session, principal: Principal) -> tuple[Principal, policy.ListScope]:
    """(the re-read principal, what it may export: every case or one agency's); refuses viewers."""
    principal = refresh_principal(session, principal)
    return principal, policy.list_scope(principal, Action.EXPORT)


def export_cases(principal: Principal, flt: queries.CaseFilter, fmt: str, out: Path | str | BinaryIO, *,
                 now: datetime | None = None) -> ExportResult:
    """One row per case matching ``flt`` (an empty status list means every status), written to
    ``out`` (a path or a binary file). An agency head gets their own agency whatever ``flt`` says."""
    _check_format(fmt)
    now = now or utcnow()
    zone = get_settings().zone
    with read_session() as session:
        principal, scope = export_scope(session, principal)
        _check_agency(session, flt.agency)
        flt = replace(flt, hide_restricted=scope.hide_restricted)
        if scope.agency is not None:
            flt = replace(flt, agency=scope.agency)
        if not flt.statuses:
            flt = replace(flt, statuses=CASE_STATUSES)
        names = _names(session)
        rows = _case_rows(queries.export_rows(session, flt), principal, zone, now, names, xlsx=fmt == "xlsx")
        count = _write(fmt, out, "Kasus", CASE_COLUMNS, rows, datetime_columns=TIME_COLUMNS)
    return ExportResult("cases", fmt, count, flt.agency)


def export_stats(principal: Principal, fmt: str, out: Path | str | BinaryIO, *, start: date | None = None,
                 end: date | None = None, agency: str | None = None, lang: str = "id",
                 now: datetime | None = None) -> ExportResult:
    """The statistics tables (overall, by agency, category, platform, urgency, week): CSV in
    one file with a section column, XLSX with one sheet per table."""
    _check_format(fmt)
    now = now or utcnow()
    zone = get_settings().zone
    lo, hi = day_range(start, end)
    with read_session() as session:
        principal, scope = export_scope(session, principal)
        _check_agency(session, agency)
        agency = scope.agency or agency or None
        names = _names(session)
        groupings = tuple(section for section, _ in STAT_SECTIONS if section != "overall")
        tables = store_stats.response_tables(session, now, zone, groupings, start=lo, end=hi, agency=agency,
                                               hide_restricted=scope.hide_restricted)
        sections = [(section, title, [_stat_row(section, r, names, lang)
                                      for r in tables[None if section == "overall" else section]])
                    for section, title in STAT_SECTIONS]
    if fmt == "csv":
        count = sheets.write_csv(out, STAT_COLUMNS, (row for _, _, rows in sections for row in rows))
    else:
        count = sheets.write_xlsx_sheets(out, [(title, STAT_COLUMNS, rows, ()) for _, title, rows in sections])
    return ExportResult("stats", fmt, count, agency)


def suggested_filename(what: str, fmt: str, now: datetime | None = None) -> str:
    local = (now or utcnow()).astimezone(get_settings().zone)
    kind = "kasus" if what == "cases" else "statistik"
    return f"tanggap-{kind}-{local:%Y%m%d-%H%M}.{fmt}"


# --- rows -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Names:
    agencies: dict[str, str]
    kecamatan: dict[str, str]


def _names(session: Session) -> _Names:
    return _Names(agencies=dict(session.exec(select(Agency.code, Agency.name)).all()),
                  kecamatan=dict(session.exec(select(Kecamatan.code, Kecamatan.name)).all()))


def _case_rows(source: Iterable[dict], principal: Principal, zone: ZoneInfo, now: datetime, names: _Names,
               xlsx: bool) -> Iterator[list[Any]]:
    label_cache: dict[str | None, str] = {}
    neutralise = _keep if xlsx else store_neutralise  # XLSX string cells never run

    def label(label_id: str | None) -> str:
        if label_id not in label_cache:
            label_cache[label_id] = neutralise(labels.label(label_id, "id")) if label_id else ""
        return label_cache[label_id]

    # Users who see every number and every restricted text (admins) need no check per row.
    sees_all = all(policy.ANY in policy.grants(principal.role, a)
                   for a in (Action.SEE_PHONE, Action.SEE_RESTRICTED_TEXT))
    for r in source:
        if r["status"] == "closed_no_action":
            sla = ack_sla = "closed"
        else:
            both = clocks(SimpleNamespace(**r), now)  # a row read as a case
            sla, ack_sla = both.handling.state.value, both.acknowledgement.state.value
        author, summary = (r["author"] or "", r["summary"] or "") if sees_all else _personal(principal, r)
        agency = r["lead_agency_code"]
        kec = r["kecamatan_code"]
        # For CSV every text from the database is neutralised here (times and numbers cannot
        # start a formula), so the CSV writer need not look at each cell again.
        yield [
            r["id"], neutralise(r["status"]), neutralise(r["platform"]), neutralise(r["category"] or ""),
            label(r["category"]), neutralise(r["urgency"] or ""), label(r["urgency"]),
            neutralise(r["tagged_by"] or ""), neutralise(agency or ""),
            neutralise(names.agencies.get(agency, "")) if agency else "", neutralise(r["assignee"] or ""),
            neutralise(kec or ""), neutralise(names.kecamatan.get(kec, "")) if kec else "",
            *(_local(r[c], zone, xlsx) for c in ("opened_at", "due_at", "ack_due_at", "first_response_at",
                                                 "first_handling_at", "resolved_at")),
            r["first_response_minutes"], r["handling_minutes"], r["resolution_minutes"], sla, ack_sla,
            r["mention_count"], neutralise(author), neutralise(summary),
        ]


def _keep(text: str) -> str:
    return text


def _personal(principal: Principal, row: dict) -> tuple[str, str]:
    """(author, text) of one case as this user may export them."""
    facts = policy.CaseFacts(id=row["id"], lead_agency_code=row["lead_agency_code"],
                             assignee_id=row["assignee_id"], restricted=row["restricted"], supporting=frozenset())
    if facts.restricted and not policy.allowed(principal, Action.SEE_RESTRICTED_TEXT, facts):
        return privacy.PROTECTED, privacy.PROTECTED
    return (privacy.author_for(principal, facts, row["author"]) or "",
            privacy.text_for(principal, facts, row["summary"]) or "")


def _local(value: datetime | None, zone: ZoneInfo, xlsx: bool) -> datetime | str | None:
    """WIB wall-clock time: a naive datetime for an Excel date cell, text for CSV."""
    if value is None:
        return None
    local = value.astimezone(zone)
    return local.replace(tzinfo=None) if xlsx else local.isoformat(" ", "seconds")[:19]


def _stat_row(section: str, row: store_stats.StatRow, names: _Names, lang: str) -> list[Any]:
    group = row.group
    if section == "overall":
        group_label = "Semua kasus" if lang == "id" else "All cases"
    elif group is None:
        group_label = "(belum ditentukan)" if lang == "id" else "(not set)"
    elif section == "agency":
        group_label = names.agencies.get(group, group)
    elif section in ("category", "urgency"):
        group_label = labels.label(group, lang)
    elif section == "week":
        group_label = (f"Minggu mulai {group}" if lang == "id" else f"Week of {group}")
    else:
        group_label = str(group)
    return [section, "" if group is None else str(group), group_label, row.cases, row.handled, row.met,
            row.missed, row.breached_open, row.breaches, row.pct_within_target, row.median_minutes,
            row.p90_minutes, row.acknowledged, row.ack_met, row.ack_missed, row.ack_breached_open,
            row.ack_breaches, row.pct_acknowledged_within_target, row.ack_median_minutes, row.ack_p90_minutes]


def _check_agency(session: Session, code: str | None) -> None:
    """An agency that does not exist is a mistake to report, not an empty export."""
    if code and session.get(Agency, code) is None:
        raise BadInput(f"unknown agency {code!r}", "unknown_agency", agency=code)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ServiceError(f"unknown format {fmt!r}; use csv or xlsx")


def _write(fmt: str, out: Path | str | BinaryIO, sheet: str, columns: Sequence[str], rows: Iterable[list],
           datetime_columns: Sequence[str] = ()) -> int:
    if fmt == "csv":
        return sheets.write_csv(out, columns, rows, neutralised=True)
    return sheets.write_xlsx_sheets(out, [(sheet, columns, rows, datetime_columns)])
