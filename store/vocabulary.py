"""The words every package shares: category, urgency, status, platform, role and response
channel ids. The one place they are defined; the classifier, the store, the collectors and
the console import them from here, and tests import them rather than restate them.

Only ids live here (and the order and rank that are part of their meaning). What people
read (labels in two languages) lives in the console's catalogs and in
``classifier.taxonomy``; what each role may do lives in the console's permission rules.
"""

from __future__ import annotations

# What a case is about; routing sends each category to one agency (CategoryRoute).
CATEGORIES: tuple[str, ...] = (
    "kesehatan", "perlindungan_anak", "kemiskinan", "pendidikan", "infrastruktur",
    "lingkungan", "bencana", "adminduk", "ketertiban", "pelayanan_publik", "lainnya",
)

# Most urgent first: the order the triage queue sorts by, and the SLA's per-urgency targets.
URGENCIES: tuple[str, ...] = ("kritis", "tinggi", "sedang", "rendah")
CRITICAL = URGENCIES[0]
URGENCY_RANK: dict[str, int] = {u: i for i, u in enumerate(URGENCIES)}
UNTAGGED_RANK = len(URGENCIES)  # an untagged case sorts after every tagged one

CASE_STATUSES: tuple[str, ...] = ("new", "assigned", "responded", "resolved", "closed_no_action")
OPEN_STATUSES: tuple[str, ...] = ("new", "assigned", "responded")

# Where a mention came from; "import" is a CSV/JSONL file loaded by staff; "whatsapp" the
# WhatsApp Business Platform's webhook (a chat export imported from a file stays "import").
PLATFORMS: tuple[str, ...] = ("twitter", "facebook", "sms", "whatsapp", "import")

# petugas: an agency's officer, who works the cases assigned to them or to their agency.
ROLES: tuple[str, ...] = ("admin", "komunikasi", "kepala_dinas", "petugas", "viewer")
# Roles that work one agency's queue and so need an agency to be created.
AGENCY_ROLES: tuple[str, ...] = ("kepala_dinas", "petugas")
# Roles that head an agency: the lead agency's head and the camat get alerts (store/alert_rules.py).
AGENCY_HEAD_ROLES: tuple[str, ...] = ("kepala_dinas",)
# Where an alert can reach a person; "console" is the in-console list, always on.
ALERT_CHANNELS: tuple[str, ...] = ("console", "email", "telegram", "sms")
# The roster's team for the comms team (agencies' teams are their agency codes).
COMMS_TEAM = "KOMUNIKASI"

# How staff answered a citizen (the response that stops the SLA clock).
RESPONSE_CHANNELS: tuple[str, ...] = ("platform_reply", "phone", "whatsapp", "field_visit")


def more_urgent(a: str, b: str) -> str:
    """The more urgent of two urgency ids."""
    return a if URGENCY_RANK[a] <= URGENCY_RANK[b] else b

# A reply sent from Tanggap to the citizen, through the outbox (store/replies.py):
# draft (waits for approval) → approved (queued) → sending (claimed by a sender; the platform
# may have it) → sent | failed. A draft sent back with a comment is returned; a reply on a
# platform Tanggap cannot post to (an import) is manual: staff send it by hand.
REPLY_STATES: tuple[str, ...] = ("draft", "approved", "sending", "sent", "failed", "returned", "manual")
# Who must approve a reply before it is sent (TANGGAP_REPLY_APPROVAL).
REPLY_APPROVAL_MODES: tuple[str, ...] = ("none", "agency", "all")
