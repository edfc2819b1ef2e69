"""Demo staff accounts, one per role (two for the communications team).

The passwords are fixed and printed by `tanggap demo`: they are for a demo on one's own
machine only (README says so). Never run `tanggap demo` against a production database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from store.tables import StaffUser
from store.users import create_user


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    agency: str | None
    password: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Admin Tanggap", "admin", None, "admin-demo"),
    DemoUser("ani", "Ani Rahmawati", "komunikasi", None, "ani-demo-2026"),
    DemoUser("budi", "Budi Setiawan", "komunikasi", None, "budi-demo-2026"),
    DemoUser("kadinkes", "dr. Widji Lestari (Kadinkes)", "kepala_dinas", "DINKES", "kadinkes-demo"),
    DemoUser("kabpbd", "Ir. Eka Prasetya (Kalaksa BPBD)", "kepala_dinas", "BPBD", "kabpbd-demo"),
    DemoUser("kapubm", "Danang Hartono (Kadis PU BM)", "kepala_dinas", "PUBM", "kapubm-demo"),
    DemoUser("pemantau", "Pemantau Setda", "viewer", None, "pemantau-demo"),
)


def ensure_users(session: Session) -> tuple[list[DemoUser], dict[str, StaffUser]]:
    """Create the demo accounts that do not exist yet; (created, every demo user by username).
    An existing account (e.g. an admin made with `tanggap user add`) is left as it is."""
    created = []
    for user in DEMO_USERS:
        if session.exec(select(StaffUser).where(StaffUser.username == user.username)).first() is None:
            create_user(session, user.username, user.display_name, user.role, user.password, user.agency)
            created.append(user)
    names = [u.username for u in DEMO_USERS]
    found = session.exec(select(StaffUser).where(StaffUser.username.in_(names))).all()
    return created, {u.username: u for u in found}
