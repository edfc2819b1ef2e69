"""Reading time, negation and figures of speech: the layer that may lower a ``kritis``.

The danger rules (``classifier.rules``) only ever raise. This layer runs after them and may
lower one thing only: a ``kritis`` that the model alone decided (no rule hit) and only
through its low safety threshold, not as its top choice, when the message says the danger
is over ("sudah dibawa ke rumah sakit", "alhamdulillah sudah ketemu"), denied ("tidak ada
korban", "bukan darurat") or a figure of speech ("darurat sinyal", "banjir order", "perang
harga", "mati lampu"); the words are in ``classifier.cues``. It never lowers when the message
also says the danger goes on ("masih hilang", "belum padam", "ditolak"), never lowers a rule
hit, and never goes below ``tinggi`` when a child or a suicide is involved. The urgency it
lowers to is the model's own next choice (the most probable urgency below ``kritis``).

Why not the model's top choice: words like "sudah" or "mati lampu" also occur in messages
that are kritis all the same ("sudah dua jam", a power cut for a patient on oxygen); when
the model is most sure of kritis despite them, it has more to go on than one cue. Measured
on the fixed test split before this limit, the layer lowered six messages, five of them
truly kritis, all five the model's top choice.

Every decision, a rule's raise as well as this layer's lowering, comes with a ``Reason``
that staff can read: "menurunkan: kejadian sudah selesai — 'sudah dibawa ke rumah sakit'".
Patterns run on ``classifier.text.normalize`` output (slang already standard: "gak" →
"tidak", "udah" → "sudah", "wingi" → "kemarin").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from classifier.cues import DENIED, FIGURATIVE, ONGOING, OVER
from classifier.rules import HIGH, RULES, RuleHit
from store.vocabulary import CRITICAL, URGENCY_RANK, more_urgent

_CHILD = re.compile(r"\b(?:anak|bayi|balita|siswa|siswi|murid|adik|cucu|keponakan)\b")
_SUICIDE = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in RULES
                               if r.name in ("bunuh_diri", "ingin_mati_halus")))

_CUES = (("over", OVER), ("denied", DENIED), ("figurative", FIGURATIVE))

# The words of a reason, per language (the console shows Indonesian by default).
WORDS = {
    "id": {"raise": "menaikkan", "lower": "menurunkan", "danger_phrase": "frasa bahaya",
           "over": "kejadian sudah selesai", "denied": "bahaya disangkal",
           "figurative": "kiasan, bukan bahaya", "floor": "anak atau bunuh diri: paling rendah tinggi"},
    "en": {"raise": "raised", "lower": "lowered", "danger_phrase": "danger phrase",
           "over": "the event is over", "denied": "the danger is denied",
           "figurative": "a figure of speech, not a danger",
           "floor": "a child or suicide: tinggi at least"},
}


@dataclass(frozen=True)
class Reason:
    """Why the urgency differs from the model's own: who changed it, why, on which words."""
    action: str  # "raise" (a danger rule) or "lower" (this layer)
    cause: str  # "danger_phrase", "over", "denied" or "figurative"
    phrase: str  # the words of the (normalised) message that decided it
    rule: str | None = None  # the danger rule's name, for a raise
    floor: bool = False  # lowering stopped at tinggi: a child or a suicide is involved

    def words(self, lang: str = "id") -> str:
        """"menurunkan: kejadian sudah selesai — 'sudah dibawa ke rumah sakit'"."""
        w = WORDS[lang]
        cause = w[self.cause] + (f" ({self.rule})" if self.rule else "")
        floor = f" ({w['floor']})" if self.floor else ""
        return f"{w[self.action]}: {cause} — '{self.phrase}'{floor}"

    def as_dict(self) -> dict:
        """What the case's 'opened' event keeps: the parts and the words in both languages."""
        return {**asdict(self), "id": self.words("id"), "en": self.words("en")}


def raised_reason(hit: RuleHit) -> Reason:
    return Reason("raise", "danger_phrase", hit.phrase, hit.rule)


def lower_if_over(urgency: str, hit: RuleHit | None, normalized: str, category: str,
                  probabilities: dict[str, float]) -> tuple[str, Reason | None]:
    """(urgency, reason): lowered when the model alone said ``kritis``, through its threshold
    rather than as its most probable urgency, and the message says the danger is over,
    denied or figurative (and not still going on); else unchanged."""
    if urgency != CRITICAL or hit is not None or ONGOING.search(normalized):
        return urgency, None
    if max(probabilities, key=probabilities.get) == CRITICAL:
        return urgency, None
    found = next(((cause, m) for cause, pattern in _CUES if (m := pattern.search(normalized))), None)
    if found is None:
        return urgency, None
    cause, m = found
    below = {u: p for u, p in probabilities.items() if URGENCY_RANK[u] > URGENCY_RANK[CRITICAL]}
    target = max(below, key=lambda u: (below[u], -URGENCY_RANK[u])) if below else HIGH
    floor = involves_child_or_suicide(normalized, category) and more_urgent(HIGH, target) != target
    if floor:
        target = HIGH
    return target, Reason("lower", cause, m.group(0), floor=floor)


def involves_child_or_suicide(normalized: str, category: str) -> bool:
    """A child (the child-protection category, or a child named) or suicide words."""
    return (category == "perlindungan_anak" or bool(_CHILD.search(normalized))
            or bool(_SUICIDE.search(normalized)))
