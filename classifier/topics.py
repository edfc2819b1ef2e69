"""Topics inside a category that another agency handles: piped water (PDAM), street lights and
traffic (the transport office, not the roads office), mental health (ODGJ). The routing table
(store.tables.TopicRoute) says where each goes; a topic counts only when the message's
category is the topic's, so "air" in a flood report does not send it to PDAM.

Patterns run on ``classifier.text.normalize`` output (slang already standard: "gk ngalir" →
"tidak ngalir"). The first topic found wins, in the order below.
"""

from __future__ import annotations

import re

TOPICS: tuple[tuple[str, re.Pattern], ...] = (
    ("air_bersih", re.compile(
        r"\b(?:pdam|air (?:bersih|ledeng|mati|keruh|kotor|tidak (?:mengalir|ngalir|keluar|jalan|nyala))"
        r"|pipa (?:air|bocor|pecah)|krisis air|kekurangan air|sumur kering)\b")),
    ("lampu_jalan", re.compile(r"\b(?:lampu (?:jalan|pju|penerangan)|pju|penerangan jalan)\b")),
    ("lalu_lintas", re.compile(
        r"\b(?:lampu merah|lampu lalu lintas|lampu lalin|traffic light|apill|rambu|marka jalan"
        r"|kemacetan|macet|lalu lintas|lalin)\b")),
    ("kesehatan_jiwa", re.compile(
        r"\b(?:odgj|gangguan jiwa|sakit jiwa|orang gila|kejiwaan|rsj|dipasung|pasung|depresi berat)\b")),
)
TOPIC_IDS: tuple[str, ...] = tuple(name for name, _ in TOPICS)


def find_topic(plain: str) -> str | None:
    """The first topic named in a normalised text, or None."""
    for name, pattern in TOPICS:
        if pattern.search(plain):
            return name
    return None
