"""Phone numbers of SMS senders: shown in full only to those who may call back."""

from __future__ import annotations

from console.services.auth import Principal

try:  # the collectors own the phone-number format; fall back to the same rule without them
    from collectors.mention import mask_phone
except ImportError:  # pragma: no cover - only before the collectors package exists
    def mask_phone(number: str | None) -> str | None:
        if number is None or sum(ch.isdigit() for ch in number) < 8:
            return number
        return number[:6] + "****" + number[-4:]

PHONE_PLATFORMS = ("sms",)


def author_for(principal: Principal, author: str | None, platform: str, *, case_detail: bool = False) -> str | None:
    """An SMS sender's number is masked in lists for everyone but admins; the case page
    shows it in full to the staff who act on the case (a phone or WhatsApp reply needs
    it), never to viewers. Handles on other platforms are public and shown as they are."""
    if platform not in PHONE_PLATFORMS or principal.role == "admin":
        return author
    if case_detail and principal.role in ("komunikasi", "kepala_dinas"):
        return author
    return mask_phone(author)
