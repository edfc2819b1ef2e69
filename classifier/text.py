"""Normalisation of Indonesian social-media text, as a scikit-learn transformer.

``normalize`` lower-cases, replaces URLs, @handles, phone numbers and numbers with
placeholder tokens, expands reduplication written with a 2 ("anak2"), squashes repeated
letters ("tolooong"), maps slang and Javanese/Osing words to standard Indonesian
(``classifier.slang``) and keeps "?" and "!" as tokens, because questions are usually
``rendah`` and exclamations rarely are. The output is space-separated tokens.

``TextNormalizer`` is the first step of every pipeline, so inference cannot drift from
training. Indonesian stemming (PySastrawi) is available as ``stem=True``; train.py decides
whether to use it from cross-validation (see the model card).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sklearn.base import BaseEstimator, TransformerMixin

from classifier.slang import SLANG, read_sing

URL, USER, PHONE, NUMBER, QUESTION, EXCLAIM = "urlx", "userx", "telx", "numx", "tanyax", "serux"

_URL = re.compile(r"(?:https?://|www\.)\S+|\b\S+\.(?:com|id|co|ly|net|org)(?:/\S*)?\b")
_USER = re.compile(r"@\w+")
_PHONE = re.compile(r"(?:\+62|\b62|\b0)8[\d\s.-]{7,14}\d")
_REDUP = re.compile(r"\b([a-z]{2,})2\b")  # anak2 → anak anak
_REPEAT = re.compile(r"([a-z])\1{2,}")  # tolooong → tolong
_TRAILING_DOUBLE = re.compile(r"\b([a-z]{2,}?)([a-z])\2\b")  # tolongg → tolong
_NUMBER = re.compile(r"\b\d+(?:[.,:]\d+)*(?:[a-z]{1,3})?\b")
_TOKEN = re.compile(r"[a-z]+|\?|!")
# Emoji that carry meaning in complaints; the rest are dropped by the tokenizer.
_EMOJI = {"😭": " emojisedih ", "😢": " emojisedih ", "🙏": " emojimohon ", "🚨": " emojidarurat ",
          "🔥": " emojiapi ", "😡": " emojimarah ", "🤬": " emojimarah ", "👍": " emojibagus ",
          "❤": " emojisuka ", "😍": " emojisuka ", "😂": " emojitawa ", "🤣": " emojitawa "}
_EMOJI_RE = re.compile("|".join(map(re.escape, _EMOJI)))


# Cheap checks for what each substitution needs (a literal it cannot match without), so
# that a message without it skips that regex; the output is the same either way.
_URL_HINT = re.compile(r"://|www\.|\.(?:com|id|co|ly|net|org)")
_DIGIT = re.compile(r"\d")
_DOUBLE = re.compile(r"([a-z])\1")  # _REPEAT needs three, _TRAILING_DOUBLE two
_DOUBLE_AT_END = re.compile(r"([a-z])\1\b")
_TRIPLE = re.compile(r"([a-z])\1\1")  # what _REPEAT needs (it changes nothing without)
# _TOKEN.findall on ASCII text, as a translation and a split: letters stay, "?" and "!"
# become tokens of their own, every other character separates tokens (same tokens).
_TOKEN_TABLE = str.maketrans({chr(i): (chr(i) if "a" <= chr(i) <= "z" else f" {chr(i)} "
                                       if chr(i) in "?!" else " ") for i in range(128)})


def normalize(text: str) -> str:
    """One message → normalised, space-separated tokens (no stemming)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    if _URL_HINT.search(text):
        text = _URL.sub(f" {URL} ", text)
    if "@" in text:
        text = _USER.sub(f" {USER} ", text)
    if "08" in text or "628" in text:
        text = _PHONE.sub(f" {PHONE} ", text)
    if "2" in text:
        text = _REDUP.sub(r"\1 \1", text)
    if _DIGIT.search(text):
        text = _NUMBER.sub(f" {NUMBER} ", text)
    if not text.isascii():
        text = _EMOJI_RE.sub(lambda m: _EMOJI[m.group(0)], text)
    text = _squeeze_repeats(text.replace("_", " "))
    tokens = text.translate(_TOKEN_TABLE).split() if text.isascii() else _TOKEN.findall(text)
    if not ("?" in text or "!" in text or QUESTION in text or EXCLAIM in text):
        words = list(map(SLANG.get, tokens, tokens))  # nothing to count once
    else:
        words = _join_counting_marks_once(tokens)
    if "sing" in tokens:
        _read_every_sing(tokens, words)
    return " ".join(words)


def _read_every_sing(tokens: list[str], words: list[str]) -> None:
    """Osing "sing" (not) or Javanese "sing" (which), by its standard neighbours, in place.
    Only when no "!"/"?" was dropped, tokens and words line up one to one."""
    if len(tokens) != len(words):
        tokens = [t for i, t in enumerate(tokens) if not (i and t == tokens[i - 1] and t in "?!")]
    for i, token in enumerate(tokens):
        if token == "sing":
            before = words[i - 1] if i else None
            after = words[i + 1] if i + 1 < len(words) else None
            words[i] = read_sing(before, after)


def _squeeze_repeats(text: str) -> str:
    double = _DOUBLE.search(text)
    if double:
        # Both need a doubled letter, which cannot start before the first one.
        at = double.start()
        if _TRIPLE.search(text, at):
            text = _REPEAT.sub(r"\1", text)
            at = 0
        if _DOUBLE_AT_END.search(text, at):
            text = _TRAILING_DOUBLE.sub(r"\1\2", text)
    return text


def _join_counting_marks_once(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token == "?":
            token = QUESTION
        elif token == "!":
            token = EXCLAIM
        if out and token in (QUESTION, EXCLAIM) and out[-1] == token:
            continue  # "!!!" counts once
        out.append(SLANG.get(token, token))
    return out


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # optional dependency
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    if word.endswith("x") and word in (URL, USER, PHONE, NUMBER, QUESTION, EXCLAIM):
        return word
    return _stemmer().stem(word) or word


def stem(normalized: str) -> str:
    return " ".join(stem_word(w) for w in normalized.split())


class TextNormalizer(TransformerMixin, BaseEstimator):
    """Pipeline step: raw messages → normalised strings (optionally stemmed). Stateless."""

    def __init__(self, stem: bool = False):
        self.stem = stem

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        if self.stem:
            return [stem(normalize(t)) for t in X]
        return [normalize(t) for t in X]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags
