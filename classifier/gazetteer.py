"""Where in Banyuwangi a message is about: kecamatan code and desa/kelurahan, if named.

The data file ``data/gazetteer_banyuwangi.json`` names its source in its header. Matching
is tolerant of how people write place names: spaces inside names ("tegal dlimo",
"rogo jampi"), old spelling (dj → j, tj → c, oe → u), one wrong, missing or extra letter in
names of 7 letters or more, and prefixes ("kec. genteng", "ds. kemiren"). "bwi kota" and
"kota banyuwangi" mean Kecamatan Banyuwangi; the bare word "banyuwangi" does not, because it
is also the regency's name.

Some names are also common words (genteng = roof tile, licin = slippery, sepanjang = along);
those count only after a place cue such as "kec", "desa", "di" or "puskesmas".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "gazetteer_banyuwangi.json"
MAX_WORDS = 3  # longest name in words ("kalibaru manis", "benelan lor" …)
FUZZY_MIN_LEN = 7
VARY_PREFIX = 8  # letters of a word or window checked before the fuzzy look-up

KECAMATAN_CUES = {"kec", "kecamatan", "camat", "kcm"}
DESA_CUES = {"desa", "ds", "kelurahan", "kel", "kades", "lurah"}
PLACE_CUES = KECAMATAN_CUES | DESA_CUES | {
    "di", "daerah", "wilayah", "sekitar", "dekat", "dkt", "area", "puskesmas", "pkm", "pasar",
    "polsek", "koramil", "warga", "dusun", "dsn", "ke", "dari", "arah", "kota", "rsud", "rs",
    "smp", "sma", "sd", "smk", "smpn", "sman", "sdn", "smkn", "alun", "terminal", "stasiun"}
# Names that are also everyday words: they need a place cue right before them.
COMMON_WORDS = {"genteng", "licin", "glagah", "giri", "sepanjang", "bareng", "padang",
                "banjar", "gumuk", "bunder", "kemiri", "sobo", "pakis", "bayu", "balak", "pakel",
                "kelir", "lateng", "bomo", "tampo", "sragi", "kenjo", "grogol", "bulusan",
                "kabat", "sempu", "setail", "bubuk", "gitik", "mangir", "klatak", "pesucen"}
_WORDS = re.compile(r"[a-z]+")
_LETTERS_ONLY = str.maketrans({chr(i): chr(i) if "a" <= chr(i) <= "z" else " " for i in range(128)})
CITY_PHRASES = {"bwikota", "kotabwi", "banyuwangikota", "kotabanyuwangi", "kecbanyuwangi",
                "kecamatanbanyuwangi"}


NO, MAY, SHORT = 0, 1, 2  # can a window starting with this word match?


# Landmarks that place an ambiguous desa (issue 12): Tamansari of Licin is the gateway to
# Kawah Ijen (Paltuding), Tamansari of Tegalsari has no such name. Canonical forms (canonical()).
LANDMARKS = {"ijen": "35.10.24", "kawahijen": "35.10.24", "paltuding": "35.10.24"}


@dataclass(frozen=True)
class Place:
    kecamatan_code: str | None
    desa: str | None
    # A desa named in several kecamatan that nothing else in the message decides:
    # (desa, kecamatan code) for each, for staff to pick.
    candidates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: str  # "kecamatan" or "desa"
    kecamatan_codes: tuple[str, ...]


_NON_LETTERS = re.compile(r"[^a-z]")
_DOUBLES = re.compile(r"(.)\1+")


def canonical(word: str) -> str:
    """Spelling-insensitive form of a name or a run of words: "Tegal Dlimo" → "tegaldlimo"."""
    s = _NON_LETTERS.sub("", word.lower())
    s = s.replace("dj", "j").replace("tj", "c").replace("oe", "u")
    return _DOUBLES.sub(r"\1", s)


@lru_cache(maxsize=100_000)
def _canonical_word(word: str) -> str:
    return canonical(word)


def _deletions(s: str) -> set[str]:
    return {s[:i] + s[i + 1:] for i in range(len(s))}


class Gazetteer:
    def __init__(self, data: dict):
        self.kecamatan_names = {code: k["name"] for code, k in data["kecamatan"].items()}
        exact: dict[str, dict] = {}
        for code, kec in data["kecamatan"].items():
            exact.setdefault(canonical(kec["name"]), {}).setdefault("kecamatan", set()).add(
                (kec["name"], code))
            for desa in kec["desa"]:
                for alias in [desa, *data.get("also_known_as", {}).get(desa, [])]:
                    exact.setdefault(canonical(alias), {}).setdefault("desa", set()).add((desa, code))
        self._exact = exact
        self._fuzzy: dict[str, set[str]] = {}
        for key in exact:
            if len(key) >= FUZZY_MIN_LEN:
                for variant in _deletions(key) | {key}:
                    self._fuzzy.setdefault(variant, set()).add(key)
        self._prefixes = {key[:3] for key in exact if len(key) >= FUZZY_MIN_LEN - 1}
        # Pre-filter for find(): the window of words at a position can only match when the
        # first word starts a name or city phrase exactly (_name_starts), or, for the fuzzy
        # match, when it or one of its single deletions starts a deletion variant of a name
        # (_variant_starts) and its first three letters are in _prefixes.
        self._name_starts = {key[:j] for key in [*exact, *CITY_PHRASES] for j in range(1, len(key) + 1)}
        self._variant_starts = {v[:j] for v in self._fuzzy for j in range(1, len(v) + 1)}
        self._variant_ends = {v[-j:] for v in self._fuzzy for j in range(1, len(v) + 1)}
        self._longest = max(map(len, self._fuzzy), default=0)  # one letter more at most
        self._starts = {key[:3] for key in [*exact, *CITY_PHRASES]} | self._prefixes
        self._short = {key for key in [*exact, *CITY_PHRASES] if len(key) < 3}
        self._start_flag = lru_cache(maxsize=100_000)(self._start_flag)
        self._may_vary = lru_cache(maxsize=100_000)(self._may_vary)
        self._may_vary_end = lru_cache(maxsize=100_000)(self._may_vary_end)
        self._memo: dict[str, str | None] = {}

    def _lookup(self, joined: str) -> str | None:
        if joined in self._exact:
            return joined
        if len(joined) < FUZZY_MIN_LEN - 1 or joined[:3] not in self._prefixes:
            return None
        if joined in self._memo:
            return self._memo[joined]
        if (len(joined) > self._longest + 1 or not self._may_vary(joined[:VARY_PREFIX])
                or not self._may_vary_end(joined[-VARY_PREFIX:])):
            return None  # (not memoised: the checks are cached per prefix and suffix)
        if len(self._memo) > 100_000:
            self._memo.clear()
        self._memo[joined] = found = self._fuzzy_lookup(joined)
        return found

    def _fuzzy_lookup(self, joined: str) -> str | None:
        """One letter wrong, missing or extra: shared single-deletion variants."""
        hits = set(self._fuzzy.get(joined, ()))
        for variant in _deletions(joined):
            hits |= self._fuzzy.get(variant, set())
        return next(iter(hits)) if len(hits) == 1 else None

    def _may_vary(self, prefix: str) -> bool:
        """False when no text starting with ``prefix`` can be one letter off a name: neither
        it nor one of its single deletions starts a deletion variant of a name."""
        return any(v in self._variant_starts for v in _deletions(prefix) | {prefix})

    def _may_vary_end(self, suffix: str) -> bool:
        """_may_vary read from the end: it or one of its single deletions ends a variant."""
        return any(v in self._variant_ends for v in _deletions(suffix) | {suffix})

    def _start_flag(self, canon: str) -> int:
        """For one word: MAY when a window starting with it may match, NO when none can,
        SHORT (under three letters) when that depends on the next words."""
        if len(canon) < 3:
            return SHORT
        if canon in self._name_starts:
            return MAY
        if canon[:3] in self._prefixes and self._may_vary(canon[:VARY_PREFIX]):
            return MAY
        return NO

    def _candidates(self, canon: list[str]) -> list[int]:
        """Positions where a window may match; the others cannot, so find() skips them."""
        flags = list(map(self._start_flag, canon))
        if MAY not in flags and SHORT not in flags:
            return []
        out = []
        for i in [i for i, flag in enumerate(flags) if flag != NO]:
            # A short word matches alone only if it is a whole name; in a longer window
            # the window starts with it and the next word.
            if (flags[i] == SHORT and canon[i] not in self._short
                    and (i + 1 == len(canon) or self._start_flag(canon[i] + canon[i + 1]) == NO)):
                continue
            out.append(i)
        return out

    def find(self, text: str) -> Place:
        low = (text or "").lower()
        # _WORDS.findall on ASCII text: every character but a-z becomes a space, then split.
        words = low.translate(_LETTERS_ONLY).split() if low.isascii() else _WORDS.findall(low)
        canon = list(map(_canonical_word, words))
        kec_hits: list[str] = []  # kecamatan codes, in order of mention
        desa_hits: list[tuple[str, tuple[str, ...], bool]] = []  # name, codes, after a desa cue
        end = 0  # the words before it are part of a name found already
        for i in self._candidates(canon):
            if i < end:
                continue
            matched = 0
            longest = min(MAX_WORDS, len(words) - i)
            if longest > 1 and self._start_flag(canon[i] + canon[i + 1]) == NO:
                longest = 1  # longer windows start with these two words: none can match
            for n in range(longest, 0, -1):
                joined = "".join(canon[i:i + n])  # (a double letter across words is kept)
                if joined in CITY_PHRASES:
                    kec_hits.append("35.10.16")
                    matched = n
                    break
                key = self._lookup(joined)
                if key is None:
                    continue
                prev = words[i - 1] if i > 0 else ""
                if n == 1 and key in COMMON_WORDS and prev not in PLACE_CUES:
                    continue
                entry = self._exact[key]
                if "desa" in entry and (prev in DESA_CUES or "kecamatan" not in entry):
                    names = sorted(entry["desa"])
                    desa_hits.append((names[0][0], tuple(c for _, c in names), prev in DESA_CUES))
                elif "kecamatan" in entry and key != "banyuwangi":
                    kec_hits.extend(c for _, c in entry["kecamatan"])
                matched = n
                break
            end = i + matched
        joined = "".join(canon)
        landmarks = [code for key, code in LANDMARKS.items() if key in joined] if desa_hits else []
        return self._resolve(kec_hits, desa_hits, landmarks)

    @staticmethod
    def _resolve(kec_hits: list[str], desa_hits: list[tuple[str, tuple[str, ...], bool]],
                 landmarks: list[str] | None = None) -> Place:
        """A desa decides the kecamatan; a desa of several kecamatan is decided by a kecamatan
        named too ("tamansari kec. licin"), by another desa of one of them ("tamansari dekat
        banjar"), or by a landmark ("tamansari, dekat kawah ijen"); else it is a candidate."""
        others = [codes[0] for _, codes, _ in desa_hits if len(codes) == 1]
        candidates: tuple[tuple[str, str], ...] = ()
        for name, codes, _ in desa_hits:
            if len(codes) == 1:
                return Place(codes[0], name)
            for hints in (kec_hits, others, landmarks or []):
                shared = [c for c in hints if c in codes]
                if shared:
                    return Place(shared[0], name)
            candidates = candidates or tuple((name, code) for code in codes)
        return Place(kec_hits[0] if kec_hits else None, None, candidates)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def find_place(text: str) -> Place:
    """The kecamatan (store.reference code) and desa named in a message, or None for each."""
    return gazetteer().find(text)
