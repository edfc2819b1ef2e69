"""Exports of cases and of response-time statistics, as CSV and XLSX, for the Ekspor page
and `tanggap export`. Permissions and formula neutralisation live here, so the page and
the command cannot differ.

- Cases stream from a server-side cursor (store.queries.export_rows) straight into the
  file: CSV row by row, XLSX through xlsxwriter's constant_memory mode (the formats:
  console.services.sheets), so 1,000,000 cases never sit in memory at once.
- Every time is in the display zone (WIB): text in CSV, an Excel date-time in XLSX.
- A text cell that a spreadsheet would read as a formula (first character =, +, -, @, tab
  or carriage return) is prefixed with a single quote; XLSX cells are always written with
  write_string, never as formulas.
- Phone numbers (SMS senders, numbers inside the text) are masked for everyone but admins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from console.services import labels, privacy, sheets
from console.services.auth import Principal, refresh_principal
from console.services.errors import PermissionDenied, ServiceError
from console.services.sheets import neutralise
from console.services.stats import day_range
from store import queries
from store import stats as store_stats
from store.db import read_session
from store.settings import get_settings
from store.sla import clocks
from store.tables import CASE_STATUSES, Agency, Kecamatan
from store.types import utcnow

FORMATS = ("csv", "xlsx")
WHATS = ("cases", "stats")
EXPORT_ROLES = ("admin", "komunikasi")  # every agency; kepala_dinas: their own agency only

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

# An Indonesian mobile or landline number inside free text: +62 / 62 / 0, then 8+ digits,
# possibly split by spaces or dashes ("0812-3456-7890").
_PHONE_HANDLE = re.compile(r"^\+?\d[\d\s\-]{7,}\d$")
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+62|62|0)\d(?:[\s\-]?\d){7,12}(?!\d)")


@dataclass(frozen=True)
class ExportResult:
    what: str
    fmt: str
    rows: int
    agency: str | None  # the agency the export was limited to (forced for an agency head)


def mask_phones_in_text(text: str) -> str:
    return _PHONE_IN_TEXT.sub(lambda m: privacy.mask_phone(m.group(0)) or m.group(0), text)


def case_filter(start: date | None = None, end: date | None = None, agency: str | None = None,
                categories: Sequence[str] = (), urgencies: Sequence[str] = (), platforms: Sequence[str] = (),
                statuses: Sequence[str] = ()) -> queries.CaseFilter:
    """The page's and the command's filters: local (WIB) calendar days, every status unless
    some are chosen (an export is a report, not the open queue)."""
    lo, hi = day_range(start, end)
    return queries.CaseFilter(platforms=tuple(platforms), categories=tuple(categories),
                              urgencies=tuple(urgencies), statuses=tuple(statuses), agency=agency or None,
                              opened_from=lo, opened_to=hi)


def export_scope(session: Session, principal: Principal) -> tuple[Principal, str | None]:
    """(the re-read principal, the only agency it may export or None for all); refuses viewers."""
    principal = refresh_principal(session, principal)
    if principal.role in EXPORT_ROLES:
        return principal, None
    if principal.role == "kepala_dinas" and principal.agency_code:
        return principal, principal.agency_code
    raise PermissionDenied(f"role {principal.role} may not export (needs admin, komunikasi or kepala_dinas)")


def export_cases(principal: Principal, flt: queries.CaseFilter, fmt: str, out: Path | str | BinaryIO, *,
                 now: datetime | None = None) -> ExportResult:
    """One row per case matching ``flt`` (an empty status list means every status), written to
    ``out`` (a path or a binary file). An agency head gets their own agency whatever ``flt`` says."""
    _check_format(fmt)
    now = now or utcnow()
    zone = get_settings().zone
    with read_session() as session:
        principal, scope = export_scope(session, principal)
        if scope is not None:
            flt = replace(flt, agency=scope)
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
        agency = scope or agency or None
        names = _names(session)
        groupings = tuple(section for section, _ in STAT_SECTIONS if section != "overall")
        tables = store_stats.response_tables(session, now, zone, groupings, start=lo, end=hi, agency=agency)
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

    def label(label_id: str | None) -> str:
        if label_id not in label_cache:
            label_cache[label_id] = neutralise(labels.label(label_id, "id")) if label_id else ""
        return label_cache[label_id]

    show_phones = principal.is_admin
    for r in source:
        if r["status"] == "closed_no_action":
            sla = ack_sla = "closed"
        else:
            both = clocks(SimpleNamespace(**r), now)  # a row read as a case
            sla, ack_sla = both.handling.state.value, both.acknowledgement.state.value
        author = r["author"] or ""
        summary = r["summary"] or ""
        if not show_phones:
            author = _masked_author(principal, author, r["platform"])
            summary = mask_phones_in_text(summary)
        agency = r["lead_agency_code"]
        kec = r["kecamatan_code"]
        # Every text that comes from the database is neutralised here (times and numbers
        # cannot start a formula), so the CSV writer need not look at each cell again.
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



def _masked_author(principal: Principal, author: str, platform: str) -> str:
    """SMS senders are masked by the console's rule; a handle on any platform that is
    itself a phone number (an imported WhatsApp row, a numeric handle) is masked too."""
    author = privacy.author_for(principal, author, platform) or ""
    if _PHONE_HANDLE.match(author):
        author = privacy.mask_phone(author) or author
    return author


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


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ServiceError(f"unknown format {fmt!r}; use csv or xlsx")


def _write(fmt: str, out: Path | str | BinaryIO, sheet: str, columns: Sequence[str], rows: Iterable[list],
           datetime_columns: Sequence[str] = ()) -> int:
    if fmt == "csv":
        return sheets.write_csv(out, columns, rows, neutralised=True)
    return sheets.write_xlsx_sheets(out, [(sheet, columns, rows, datetime_columns)])
