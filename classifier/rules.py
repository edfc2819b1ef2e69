"""Urgency safety layer: explicit danger phrases raise urgency (most to ``kritis``, a few
to ``tinggi``), never lower it.

A missed ``kritis`` is the costliest error the classifier can make, so after the model has
tagged a message, ``raise_urgency`` looks for phrases that mean a life is at risk now
(seizures, unconscious, heavy bleeding, meningitis, flood water in the house, fire, people
trapped or swept away, a missing child, suicide, including its quiet forms and a mother's
thoughts of hurting her baby, a child sold or sent out at night, a mentally ill person with
a weapon). If one is found the urgency becomes the rule's (``kritis``; ``tinggi`` for a
person in shackles, child labour and child marriage, serious today but not within the hour)
and the tag is marked for review; if none is found the model's urgency stands. The function
can only return the same urgency or a more urgent one.

An event the message says is over ("kebakaran … sudah padam", "terjebak … sudah
dievakuasi", ``classifier.cues.OVER``) raises nothing unless it also says the danger goes on
("masih ada yang terjebak").

Thoughts and intent (suicide, self-harm, exploitation) are dangerous whenever they were
said: "kemarin dia bilang ingin mengakhiri hidup" or "setelah melahirkan saya kepikiran
menyakiti bayi" must not be skipped as past or aftermath, so those rules (``intent``) ignore
the past, aftermath and "it is over" guards, keeping the negation, hypothetical and drill guards.

Patterns run on ``classifier.text.normalize`` output, so slang is already standard ("gk
sadar" → "tidak sadar", "semaput" → "pingsan", "kobongan" → "kebakaran"). Cheap guards skip
a phrase when it is negated just before ("tidak kejang"), hypothetical ("kalau banjir"),
part of a drill or talk ("simulasi kebakaran"), or used figuratively ("harga cabai
kebakaran", "kebakaran jenggot"). They cannot catch everything; the model still decides
everything the rules do not raise.
"""

from __future__ import annotations

import re
import re._constants as sre  # the regex parser of this Python (3.11+), to read RULES
import re._parser as sre_parse
from bisect import bisect_right
from dataclasses import dataclass

from classifier.cues import ONGOING as STILL_GOING_ON
from classifier.cues import OVER
from classifier.danger_phrases import HIGH, RULES, Rule
from classifier.text import normalize
from store.vocabulary import CRITICAL, URGENCY_RANK, more_urgent

__all__ = ["HIGH", "RULES", "Rule", "RuleHit", "danger_phrase", "raise_urgencies", "raise_urgency"]


_NEGATION = re.compile(r"\b(?:tidak|bukan|belum|jangan|tanpa|anti|cegah|mencegah|pencegahan)"
                       r"(?:\s\w+)?\s?$")
# Something that happened before and is over ("pernah kesetrum", "kemarin ada yang pingsan"),
# unless it still goes on ("sejak kemarin tidak sadar").
_PAST = re.compile(r"\b(?:pernah|hampir|nyaris|dulu|kemarin|minggu lalu|bulan lalu|tahun lalu)"
                   r"(?:\s\w+){0,4}\s?$")
# The aftermath, not the event: "korban kebakaran kemarin", "pasca banjir" (tinggi at most).
_AFTER = re.compile(r"\b(?:korban|pasca|pascabencana|setelah|sesudah|habis|bekas|sisa)(?:\s\w+){0,2}\s?$")
_ONGOING = re.compile(r"\b(?:sejak|dari|masih)\s(?:\w+\s)?(?:kemarin|tadi|dulu)\b")
# Somewhere else: disaster news from another region is lainnya (LABELING.md rule 6).
_ELSEWHERE = re.compile(r"\b(?:jakarta|kalimantan|sumatera|sumatra|sulawesi|papua|malaysia|jawa barat"
                        r"|jawa tengah|semarang|bandung|luar negeri|turki|jepang|palestina|gaza)\b")
_HYPOTHETICAL = re.compile(r"\b(?:kalau|jika|seandainya|andai|misal|misalnya|bila|apabila)"
                           r"(?:\s\w+){0,4}\s?$")
_NOT_REAL = re.compile(r"\b(?:simulasi|latihan|sosialisasi|edukasi|pelatihan|webinar|film"
                       r"|sinetron|lagu|game|berita|hoaks|hoax)\b")
_FIGURATIVE = re.compile(r"\b(?:kebakaran jenggot|harga\w*(?:\s\w+){0,3}\s(?:kebakaran|terbakar)"
                         r"|terbakar (?:emosi|amarah|semangat|cemburu)|hanyut (?:dalam|oleh|terbawa)"
                         r"|tenggelam dalam|mati gaya|mau mati (?:rasanya|aja|saja)"
                         r"|kalori|lemak)\b")


@dataclass(frozen=True)
class RuleHit:
    rule: str
    phrase: str
    urgency: str = CRITICAL  # what the rule raises to


_ANY = re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in RULES))


def required_literals(items) -> set[str] | None:
    """Strings at least one of which every match of a parsed regex contains, read from its
    structure (every part of a sequence matches, one branch of an alternation, a repeat at
    least its minimum number of times); None when it needs no literal text."""
    options: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append({run})
            if op is sre.BRANCH:  # "di" + (jual|kirim): the parser factored out a prefix
                options.append({run + _leading_literal(b) for b in av[1]})
            run = ""
        if op is sre.SUBPATTERN:
            need = required_literals(av[-1])
        elif op is sre.BRANCH:
            branches = [required_literals(b) for b in av[1]]
            need = None if None in branches else set().union(*branches)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            need = required_literals(av[2])
        else:  # a character class, an anchor, an optional part: nothing certain
            need = None
        if need:
            options.append(need)
    if run:
        options.append({run})
    # The longest shortest string; of equals, the fewest strings.
    return max(options, key=lambda o: (min(map(len, o)), -len(o))) if options else None


def _leading_literal(items) -> str:
    """The literal text a parsed regex starts with ("" if none)."""
    out = ""
    for op, av in items:
        if op is not sre.LITERAL:
            break
        out += chr(av)
    return out


def _hints() -> tuple[str, ...] | None:
    needs = [required_literals(sre_parse.parse(rule.pattern.pattern)) for rule in RULES]
    if None in needs:
        return None
    found = set().union(*needs)
    return tuple(sorted(h for h in found if not any(o != h and o in h for o in found)))


# A message containing none of these strings matches no rule, so _ANY (tens of
# microseconds per message) need not run; checking them costs a few. None: no pre-filter.
HINTS = _hints()


def danger_phrase(text: str, normalized: str | None = None) -> RuleHit | None:
    """The first danger phrase in a raw message that is not negated, hypothetical, a drill
    or figurative; None if there is none. ``normalized`` saves normalising ``text`` again."""
    norm = normalize(text) if normalized is None else normalized
    if HINTS is not None and not any(map(norm.__contains__, HINTS)):
        return None
    return _danger_phrase_normalized(norm)


def _danger_phrase_normalized(norm: str) -> RuleHit | None:
    """danger_phrase after its pre-filter, on normalised text."""
    if not _ANY.search(norm) or _NOT_REAL.search(norm) or _ELSEWHERE.search(norm):
        return None
    over = OVER.search(norm) is not None and STILL_GOING_ON.search(norm) is None
    for rule in RULES:
        if over and not rule.intent:
            continue
        for m in rule.pattern.finditer(norm):
            before = norm[:m.start()]
            if _NEGATION.search(before) or _HYPOTHETICAL.search(before[-60:]):
                continue
            if not rule.intent and _AFTER.search(before[-40:]):
                continue
            if (not rule.intent and _PAST.search(before[-60:])
                    and not _ONGOING.search(before[-60:])):
                continue
            window = norm[max(0, m.start() - 30):m.end() + 30]
            if _FIGURATIVE.search(window):
                continue
            return RuleHit(rule.name, m.group(0), rule.urgency)
    return None


def raise_urgency(urgency: str, text: str, normalized: str | None = None
                  ) -> tuple[str, RuleHit | None]:
    """(urgency, hit): the rule's urgency with the phrase that raised it, or the urgency
    unchanged (and no hit) when no rule makes it more urgent. Never lowers."""
    if urgency == CRITICAL:
        return urgency, None
    return _raised(urgency, danger_phrase(text, normalized))


def _raised(urgency: str, hit: RuleHit | None) -> tuple[str, RuleHit | None]:
    if hit is None or URGENCY_RANK[hit.urgency] >= URGENCY_RANK[urgency]:
        return urgency, None
    return more_urgent(hit.urgency, urgency), hit


def may_match(normalized: list[str]) -> list[bool]:
    """Per normalised message, whether it contains one of HINTS (what danger_phrase checks
    first), for a whole batch at once: each hint is searched for in the messages joined by
    newlines (no message or hint holds one, so no occurrence spans two messages), jumping
    to the next message after each hit."""
    n = len(normalized)
    joined = "\n".join(normalized)
    if HINTS is None or joined.count("\n") != max(n - 1, 0):
        return [True] * n
    starts, at = [], 0
    for s in normalized:
        starts.append(at)
        at += len(s) + 1
    starts.append(at)
    found = [False] * n
    find = joined.find
    for hint in HINTS:
        pos = find(hint)
        while pos != -1:
            m = bisect_right(starts, pos) - 1
            found[m] = True
            pos = find(hint, starts[m + 1])
    return found


def raise_urgencies(urgencies: list[str], texts: list[str], normalized: list[str]
                    ) -> list[tuple[str, RuleHit | None]]:
    """raise_urgency for a batch (same results), skipping the messages without a hint."""
    maybe = may_match(normalized)
    out: list[tuple[str, RuleHit | None]] = []
    for urgency, norm, m in zip(urgencies, normalized, maybe, strict=True):
        hit = None if urgency == CRITICAL or not m else _danger_phrase_normalized(norm)
        out.append(_raised(urgency, hit))
    return out
