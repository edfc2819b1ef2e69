"""What the staff did with the demo cases, replayed through store.cases with the times it
happened: tags checked, cases routed, an acknowledgement on the platform when a case is
routed and the help given later (most within the 4-hour target, some late), older cases
resolved, spam closed, and the newest left open so the triage queue has cases on track, at
risk and breached."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session, select

from console.demo.dataset import DemoMention
from console.services.policy import is_agency_role
from store import cases as store_cases
from store.cases import Actor
from store.tables import CategoryRoute, Kecamatan, StaffUser

RECENT = timedelta(hours=8)
ON_TIME_SHARE = 0.68
UNANSWERED_SHARE = 0.1  # older cases routed but never answered: breached, overdue in the agency queue
RESOLVED_SHARE = 0.7

RESPONSES = {
    "kesehatan": ("Terima kasih laporannya. Tim Puskesmas setempat sudah kami minta segera ke lokasi.",
                  "Sudah dikoordinasikan dengan Dinkes; petugas menghubungi keluarga melalui telepon.",
                  "Mohon kirim nama dan alamat lengkap melalui DM, kami teruskan ke RSUD dan Puskesmas."),
    "perlindungan_anak": ("Laporan diteruskan ke DP3A/Banyuwangi Children Centre, pendamping menuju lokasi.",
                          "Terima kasih. Petugas BCC sudah berkoordinasi dengan kepala desa dan Babinsa."),
    "kemiskinan": ("Sudah diteruskan ke Dinsos; TKSK kecamatan akan mengunjungi untuk pendataan.",
                   "Terima kasih, nama yang dilaporkan sedang dicek di DTKS oleh Dinsos."),
    "pendidikan": ("Diteruskan ke Dinas Pendidikan; pengawas sekolah akan mengecek ke sekolah.",
                   "Terima kasih. Informasi beasiswa Banyuwangi Cerdas kami kirim lewat DM."),
    "infrastruktur": ("Laporan diterima, tim UPT PU Bina Marga dijadwalkan survei lokasi.",
                      "Sudah dipasang tanda bahaya sementara; perbaikan masuk jadwal minggu ini.",
                      "Kami teruskan ke PDAM dan UPT terkait, mohon kirim titik lokasinya."),
    "lingkungan": ("DLH sudah menjadwalkan pengangkutan dan pengecekan ke lokasi.",
                   "Terima kasih, petugas DLH akan mengambil sampel air limbah."),
    "bencana": ("TRC BPBD menuju lokasi bersama relawan dan Tagana.",
                "Terima kasih, BPBD sudah mengirim bantuan terpal dan logistik."),
    "adminduk": ("Diteruskan ke Dispendukcapil; silakan datang ke MPP dengan nomor antrean prioritas.",
                 "Petugas Dispendukcapil akan menghubungi lewat WhatsApp untuk perbaikan data."),
    "ketertiban": ("Sudah dikoordinasikan dengan Satpol PP dan Polsek setempat untuk patroli.",
                   "Terima kasih, Satpol PP akan melakukan penertiban."),
    "pelayanan_publik": ("Laporan diteruskan ke Inspektorat untuk ditindaklanjuti.",
                         "Terima kasih, camat sudah menegur petugas yang bersangkutan."),
    "lainnya": ("Terima kasih atas dukungannya 🙏", "Matur nuwun, salam dari Pemkab Banyuwangi."),
}
CHANNELS = ("platform_reply", "platform_reply", "phone", "whatsapp", "field_visit")  # of the help given
ACKNOWLEDGEMENT = "Terima kasih, laporan sudah kami terima dan teruskan ke {agency}."


def work_cases(session: Session, demo: list[tuple[DemoMention, int]], staff: dict[str, StaffUser],
               now: datetime, seed: int = 2026) -> Counter:
    """Act on each (first demo mention, its case id); returns a count of what was done."""
    rng = random.Random(seed)
    targets = store_cases.load_targets(session)
    routes = {r.category: r.agency_code for r in session.exec(select(CategoryRoute)).all()}
    offices = {k.code: k.agency_code for k in session.exec(select(Kecamatan)).all()}
    heads = {u.agency_code: u for u in staff.values() if is_agency_role(u.role)}
    team = [_actor(staff[name]) for name in ("ani", "budi") if name in staff] or [Actor(None, "demo")]
    done: Counter = Counter()
    for mention, case_id in demo:
        comms = rng.choice(team)
        case = store_cases.get_case(session, case_id)
        if (case.category, case.urgency) != (mention.category, mention.urgency) or (
                mention.kecamatan_code and case.kecamatan_code != mention.kecamatan_code):
            case = store_cases.retag(session, case_id, None, comms, category=mention.category,
                                     urgency=mention.urgency, targets=targets, kecamatan_code=mention.kecamatan_code)
            done["retagged"] += 1
        age = now - case.opened_at
        if mention.category == "lainnya" and mention.urgency == "rendah" and age > RECENT and rng.random() < 0.75:
            store_cases.close_no_action(session, case_id, None, comms, note="Bukan aduan (salam/promosi/spam)")
            done["closed_no_action"] += 1
            continue
        if age < RECENT and rng.random() < 0.55:
            done["left_new"] += 1
            continue
        agency = routes.get(mention.category, "DISKOMINFO")
        head = heads.get(agency)
        support = [offices[mention.kecamatan_code]] if mention.kecamatan_code and rng.random() < 0.3 else []
        assigned_at = _before(now, case.opened_at + timedelta(minutes=rng.randint(3, 45)))
        store_cases.assign(session, case_id, None, comms, agency_code=agency,
                           assignee_id=head.id if head else None, supporting=support, now=assigned_at)
        done["assigned"] += 1
        target = case.due_at - case.opened_at
        if age < RECENT:
            if age > target / 2 and rng.random() < 0.35:
                _respond(session, rng, case_id, mention, head or comms, assigned_at, case.opened_at + age / 2, now)
                done["responded_on_time"] += 1
            continue
        if rng.random() < UNANSWERED_SHARE:
            done["left_unanswered"] += 1
            continue
        if rng.random() < ON_TIME_SHARE:
            delay = timedelta(minutes=rng.randint(8, max(9, int(target.total_seconds() // 60 * 0.9))))
            done["responded_on_time"] += 1
        else:
            delay = target + timedelta(minutes=rng.randint(20, 30 * 60))
            done["responded_late"] += 1
        responder = _actor(head) if head and rng.random() < 0.6 else comms
        responded_at = _respond(session, rng, case_id, mention, responder, assigned_at,
                                case.opened_at + delay, now)
        if age > timedelta(days=1) and rng.random() < RESOLVED_SHARE:
            resolved_at = _before(now, responded_at + timedelta(hours=rng.uniform(1, 48)))
            store_cases.resolve(session, case_id, None, responder, note="Sudah ditangani.", now=resolved_at)
            done["resolved"] += 1
    return done


def _respond(session: Session, rng: random.Random, case_id: int, mention: DemoMention, who, assigned_at: datetime,
             at: datetime, now: datetime) -> datetime:
    actor = who if isinstance(who, Actor) else _actor(who)
    at = _before(now, max(at, assigned_at))
    logged = _before(now, at + timedelta(minutes=rng.randint(1, 20)))
    case = store_cases.get_case(session, case_id)
    if case.first_response_at is None:  # the comms team's reply when routing: the acknowledgement clock
        store_cases.log_response(session, case_id, None, actor, channel="platform_reply", kind="acknowledgement",
                                 text=ACKNOWLEDGEMENT.format(agency=case.lead_agency_code), happened_at=assigned_at,
                                 now=_before(now, assigned_at + timedelta(minutes=1)))
    store_cases.log_response(session, case_id, None, actor, text=rng.choice(RESPONSES[mention.category]),
                             channel=rng.choice(CHANNELS), kind="handling", happened_at=at, now=logged)
    return at


def _before(now: datetime, when: datetime) -> datetime:
    """Never in the future: a demo action that would fall after now happens a minute ago."""
    return min(when, now - timedelta(minutes=1))


def _actor(user: StaffUser) -> Actor:
    return Actor(id=user.id, label=user.username)
