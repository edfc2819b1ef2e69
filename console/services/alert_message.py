"""What an alert says, in Indonesian: rule, case number, category, urgency, kecamatan/desa,
due time in WIB, how late the alert is (a worker that was down), and the link to the case.

Never the citizen's phone number: the summary's numbers are masked (privacy.mask_phones)
and the author is left out. A restricted case's text is never sent, and a recipient who may
not read the case (an escalation list outside the agencies, say) gets no text either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from console.display import format_local
from console.services import labels, policy, privacy
from console.services.auth import principal_of
from console.services.policy import Action, CaseFacts
from store.settings import get_settings
from store.tables import Alert, Case, CaseSupport, Kecamatan, StaffUser

HEADLINES = {
    "new_kritis": "Kasus KRITIS baru",
    "new_tinggi": "Kasus urgensi TINGGI baru",
    "at_risk": "Kasus hampir melewati batas waktu dan belum dijawab",
    "breached": "Kasus MELEWATI batas waktu",
    "incident": "INSIDEN: banyak laporan sejenis di satu kecamatan",
}
LATE_AFTER_SECONDS = 60
SUMMARY_CHARS = 200


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def compose(rule: str, case: Case, supporting: list[str], kecamatan: str | None, recipient: StaffUser,
            due_at: datetime, now: datetime, console_url: str, zone: ZoneInfo) -> Message:
    headline = HEADLINES.get(rule, rule)
    subject = f"[Tanggap] {headline}: kasus #{case.id}"
    place = ", ".join(p for p in (f"Kec. {kecamatan}" if kecamatan else None,
                                  f"Desa {case.desa}" if case.desa else None) if p) or "belum diketahui"
    lines = [f"{headline}", f"Kasus #{case.id} · {labels.label(case.category)} · urgensi {labels.label(case.urgency)}",
             f"Lokasi: {place}", f"Batas waktu: {format_local(case.due_at, zone)}"]
    if case.lead_agency_code:
        lines.append(f"Dinas: {case.lead_agency_code}" + (f" (dukungan {', '.join(supporting)})" if supporting else ""))
    late = (now - due_at).total_seconds()
    if late >= LATE_AFTER_SECONDS:
        lines.append(f"Peringatan ini terlambat {int(late // 60)} menit (seharusnya {format_local(due_at, zone)}).")
    facts = CaseFacts.of(case, supporting)
    if case.restricted:
        lines.append("Isi: [dilindungi]")
    elif policy.allowed(principal_of(recipient), Action.READ, facts):
        summary = privacy.mask_phones(case.summary) or ""
        lines.append("Isi: " + (summary[:SUMMARY_CHARS] + ("…" if len(summary) > SUMMARY_CHARS else "")))
    lines.append(f"Buka: {console_url.rstrip('/')}/kasus?case={case.id}")
    return Message(subject, "\n".join(lines))


def message_for(session: Session, alert: Alert, case: Case, recipient: StaffUser, now: datetime) -> Message:
    """One outbox row's message as it reads at ``now`` (the case as it is now)."""
    settings = get_settings()
    supporting = sorted(session.exec(select(col(CaseSupport.agency_code))
                                     .where(col(CaseSupport.case_id) == case.id)).all())
    kecamatan = session.get(Kecamatan, case.kecamatan_code) if case.kecamatan_code else None
    return compose(alert.rule, case, supporting, kecamatan.name if kecamatan else None, recipient, alert.due_at,
                   now, settings.console_url, settings.zone)
