"""What a reply's text is checked against before it is queued: X's weighted length, the SMS
parts it will take, and what must not be said in public (a phone number, a NIK, a child's
name). Pure functions; the reply box shows their results as the user types."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from collectors.gammu_outbox import sms_parts
from console.services.privacy import mask_phones

# twitter-text's configuration v3 (the one X uses since 2017): each code point weighs 200
# (2 characters) except these ranges at 100; the limit is 280 at scale 100, a URL counts 23
# whatever its length, and an emoji (with its modifiers and joiners) counts 2.
X_MAX_WEIGHTED_LENGTH = 280
X_SCALE, X_DEFAULT_WEIGHT = 100, 200
X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
X_URL_LENGTH = 23
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
NIK = re.compile(r"(?<!\d)(?:\d[\s.\-]?){15}\d(?!\d)")  # 16 digits, however grouped
CHILD_WORDS = r"anak|putra|putri|putranya|putrinya|siswa|siswi|murid|balita|bayi|adik|ananda|cucu"
# "anak bernama Budi", "putri kami, Siti", "ananda Rizky": a child word, then a name.
CHILD_NAME = re.compile(rf"\b(?i:{CHILD_WORDS})\b(?:\s+\w+){{0,3}}?\s*[,:]?\s+"
                        rf"(?:(?i:bernama|namanya|atas nama|a\.n\.)\s+\w+|[A-Z][a-z]+)")


def _is_emoji(cp: int) -> bool:
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF


def _is_modifier(cp: int) -> bool:
    """Variation selectors, the keycap, skin tones and tag characters: part of the emoji before."""
    return cp in (0xFE0E, 0xFE0F, 0x20E3) or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F


def x_weighted_length(text: str) -> int:
    """The length X counts, in characters (weight / scale), as twitter-text v3 does."""
    text = unicodedata.normalize("NFC", text)
    weight, last = 0, 0
    for match in URL.finditer(text):
        weight += _weigh(text[last:match.start()]) + X_URL_LENGTH * X_SCALE
        last = match.end()
    weight += _weigh(text[last:])
    return -(-weight // X_SCALE)  # rounded up: half a character over is over


def _weigh(text: str) -> int:
    """An emoji sequence (modifiers, joined emoji, a flag's two letters) weighs 200 once."""
    codes = [ord(ch) for ch in text]
    weight, i = 0, 0
    while i < len(codes):
        cp = codes[i]
        i += 1
        if not _is_emoji(cp):
            weight += X_SCALE if any(lo <= cp <= hi for lo, hi in X_LIGHT_RANGES) else X_DEFAULT_WEIGHT
            continue
        weight += X_DEFAULT_WEIGHT
        if 0x1F1E6 <= cp <= 0x1F1FF and i < len(codes) and 0x1F1E6 <= codes[i] <= 0x1F1FF:
            i += 1  # a flag: two regional indicator letters
        while i < len(codes) and (_is_modifier(codes[i]) or (codes[i] == 0x200D and i + 1 < len(codes))):
            i += 2 if codes[i] == 0x200D else 1  # a joiner takes the emoji after it along
    return weight


@dataclass(frozen=True)
class TextCheck:
    length: int  # X: weighted characters; other platforms: characters
    limit: int | None  # X: 280; None where there is no limit
    sms_parts: int  # how many SMS it takes (SMS only, else 0)
    sms_coding: str | None
    warnings: tuple[str, ...]  # codes: phone, nik, child_name (public replies only)

    @property
    def too_long(self) -> bool:
        return self.limit is not None and self.length > self.limit


def check(text: str, platform: str, public: bool) -> TextCheck:
    length, limit, parts, coding = len(text), None, 0, None
    if platform == "twitter":
        length, limit = x_weighted_length(text), X_MAX_WEIGHTED_LENGTH
    elif platform == "sms":
        coding, pieces = sms_parts(text)
        parts = len(pieces)
    return TextCheck(length, limit, parts, coding, personal_data(text) if public else ())


def personal_data(text: str) -> tuple[str, ...]:
    """What a public reply should not contain: phone numbers, NIKs, a child's name."""
    found = []
    if NIK.search(text):
        found.append("nik")
    elif mask_phones(text) != text:  # a NIK is not also reported as a phone number
        found.append("phone")
    if CHILD_NAME.search(text):
        found.append("child_name")
    return tuple(found)
