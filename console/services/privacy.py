"""Personal data as each user may see it: phone numbers and restricted cases.

One rule for phone numbers, held in the console, the CLI and exports alike: full numbers
only for admins and for the people who call the citizen back (the case's assignee and its
lead agency); everyone else sees every digit but the last four masked. Numbers are found
with the ``phonenumbers`` library's matcher for Indonesia, whatever the spacing or
punctuation ("+62 812-3456-7890", "0812.3333.4444", "(0333) 424242"), in message text and in
authors (an SMS or WhatsApp sender is a number).

A restricted case's text and author read "[dilindungi]" in exports for everyone but admins
and the child-protection agency (policy.SEE_RESTRICTED_TEXT).
"""

from __future__ import annotations

import re

from phonenumbers import Leniency, PhoneNumberMatcher

from console.services import policy
from console.services.policy import Action, CaseFacts

PROTECTED = "[dilindungi]"
MASK = "*"
VISIBLE_DIGITS = 4

# The matcher is slow next to a regex; text with fewer than seven digits in a run of digits
# and separators cannot hold a phone number, so most messages skip it.
_DIGITS_RUN = re.compile(r"\d[\d\s().\-]{5,}\d")
# A money amount ("Rp 1.500.000") can look like a number to the matcher; it is not personal.
_MONEY_BEFORE = re.compile(r"(?:rp\.?|idr)\s*$", re.IGNORECASE)
_ONLY_NUMBER = re.compile(r"^\+?[\d\s().\-]{8,}$")


def mask_number(number: str) -> str:
    """Every digit but the last four replaced, punctuation kept: '+62 812-3456-7890' →
    '+** ***-****-7890'."""
    total = sum(ch.isdigit() for ch in number)
    seen = 0
    out = []
    for ch in number:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - VISIBLE_DIGITS else MASK)
        else:
            out.append(ch)
    return "".join(out)


def mask_phones(text: str | None) -> str | None:
    """The text with every phone number in it masked."""
    if not text or not _DIGITS_RUN.search(text):
        return text
    pieces, last = [], 0
    for match in PhoneNumberMatcher(text, "ID", leniency=Leniency.VALID):
        if _MONEY_BEFORE.search(text[max(0, match.start - 5):match.start]):
            continue
        pieces += [text[last:match.start], mask_number(match.raw_string)]
        last = match.end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def mask_author(author: str | None) -> str | None:
    """An author that is itself a number (SMS, WhatsApp, a numeric handle) masked whole;
    a name or handle with a number in it has the number masked."""
    if not author:
        return author
    if _ONLY_NUMBER.match(author) and sum(ch.isdigit() for ch in author) >= 8:
        return mask_number(author)
    return mask_phones(author)


def sees_phones(principal, case: CaseFacts) -> bool:
    return policy.allowed(principal, Action.SEE_PHONE, case)


def author_for(principal, case: CaseFacts, author: str | None) -> str | None:
    return author if sees_phones(principal, case) else mask_author(author)


def text_for(principal, case: CaseFacts, text: str | None) -> str | None:
    return text if sees_phones(principal, case) else mask_phones(text)


def row_facts(row) -> CaseFacts:
    """Facts of a queue or export row (lead agency, assignee, restricted); supporting units
    are not needed for the phone rule, which turns on the lead agency and the assignee."""
    return CaseFacts.of(row, ())
