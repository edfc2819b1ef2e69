"""Terms staff can read: the words behind a tag as the message wrote them.

The model's features are normalised tokens: placeholders for numbers, phone numbers, links
and handles (``numx``, ``telx`` …), emoji tokens, and standard Indonesian for slang ("tidak"
for "gk"). ``readable`` says which features may be shown at all (no placeholder, not only
function words), and ``in_message`` finds each shown term in the message itself, so staff
read "gk sadar" where the message said so, and never a term the message does not contain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classifier.text import EXCLAIM, NUMBER, PHONE, QUESTION, URL, USER, normalize

PLACEHOLDERS = frozenset({URL, USER, PHONE, NUMBER, QUESTION, EXCLAIM})
# Function words of Indonesian (and, after normalisation, of Javanese and Osing): they carry
# weight in the model but tell staff nothing.
_STOPWORD_TEXT = """
yang di ke dari dan atau dengan untuk pada dalam oleh itu ini ada adalah akan sudah telah
belum masih juga saja pun lagi bisa dapat harus mau ingin tolong mohon pak bu bapak ibu mas
mbak kak min admin saya aku kami kita kamu anda dia mereka nya kah lah tah dong deh sih kok
ya iya tidak bukan jangan tapi tetapi karena kalau jika agar supaya sehingga sejak sampai
hingga sangat sekali banget lebih paling juga para sang si se semua setiap tiap sama seperti
bagaimana apa kenapa mengapa kapan dimana siapa mana gimana ini itu tersebut begitu gitu
nang ring iku iki wae bain kok the and
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"\w+", re.UNICODE)


def readable(term: str) -> bool:
    """Whether a feature may be shown: no placeholder or emoji token, not only stopwords."""
    words = term.split()
    if any(w in PLACEHOLDERS or w.startswith("emoji") for w in words):
        return False
    return any(w not in STOPWORDS for w in words)


def in_message(terms: Iterable[str], text: str) -> list[str]:
    """Each term as the message wrote it (its words, in the message's own spelling); a term
    the message does not contain is left out. Order kept, duplicates dropped."""
    words = _WORD.findall(text)
    norms = [tuple(normalize(w).split()) for w in words]
    found: list[str] = []
    for term in terms:
        phrase = _find(tuple(term.split()), words, norms)
        if phrase is not None and phrase not in found:
            found.append(phrase)
    return found


def _find(target: tuple[str, ...], words: list[str], norms: list[tuple[str, ...]]) -> str | None:
    n = len(target)
    for start in range(len(words)):
        own = norms[start]
        if len(own) > n and any(own[i:i + n] == target for i in range(len(own) - n + 1)):
            return words[start]  # one written word holds the term: "kejang2" is "kejang kejang"
        got: tuple[str, ...] = ()
        for end in range(start, min(start + n + 1, len(words))):
            got += norms[end]
            if got == target:
                return " ".join(words[start:end + 1])
            if got != target[:len(got)]:
                break
    return None
