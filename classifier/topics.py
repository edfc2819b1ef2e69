"""Topics inside a category that another agency handles: piped water (PDAM), street lights and
traffic (the transport office, not the roads office), mental health (ODGJ). The routing table
(store.tables.TopicRoute) says where each goes; a topic counts only when the message's
category is the topic's, so "air" in a flood report does not send it to PDAM.

Patterns run on ``classifier.text.normalize`` output (slang already standard: "gk ngalir" →
"tidak ngalir"). The topic named first in the message wins.
"""

from __future__ import annotations

import re

TOPICS: tuple[tuple[str, str], ...] = (
    ("air_bersih", r"pdam|air (?:bersih|ledeng|mati|keruh|kotor|tidak (?:mengalir|ngalir|keluar|jalan|nyala))"
                   r"|pipa (?:air|bocor|pecah)|krisis air|kekurangan air|sumur kering"),
    ("lampu_jalan", r"lampu (?:jalan|pju|penerangan)|pju|penerangan jalan"),
    ("lalu_lintas", r"lampu merah|lampu lalu lintas|lampu lalin|traffic light|apill|rambu|marka jalan"
                    r"|kemacetan|macet|lalu lintas|lalin"),
    ("kesehatan_jiwa", r"odgj|gangguan jiwa|sakit jiwa|orang gila|kejiwaan|rsj|dipasung|pasung|depresi berat"),
)
TOPIC_IDS: tuple[str, ...] = tuple(name for name, _ in TOPICS)
# One pattern, a named group per topic: one search per message (tagging runs on every
# mention of a flood of them, so four searches per message would show in the ingest time).
_ANY = re.compile("|".join(rf"\b(?P<{name}>{pattern})\b" for name, pattern in TOPICS))


def find_topic(plain: str) -> str | None:
    """The topic named first in a normalised text, or None."""
    found = _ANY.search(plain)
    return found.lastgroup if found else None
