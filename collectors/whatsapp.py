"""A WhatsApp chat export (the ``.txt`` a phone writes with "Export chat" / "Ekspor chat").

Phones write one of these line shapes, by system and language setting::

    29/11/26 18.41 - Budi: jalan rusak            (Android, Indonesian)
    11/29/26, 6:41 PM - Budi: road is broken      (Android, English US)
    [29/11/26 18.41.05] Budi: jalan rusak         (iPhone)

A line that does not start with a date continues the message before it. Lines without
``name:`` after the time are the phone's system lines (encryption notice, "added", "left")
and are skipped, as are deleted messages; a media placeholder alone becomes the normaliser's
``[lampiran tanpa teks]`` (a photo is still a report).

Messages are mentions on platform ``whatsapp``, like the live channel's (collectors/wa_*.py);
an export carries no message ids, so their ids are hashes of sender, minute and words. Each
sender is a thread (``wa:<number or name>``) joined by the 24-hour rule, as SMS from one
number; the chat owner's messages (``own``) answer the last person who wrote before them.
The whole chat is read first (exports are small) so that its dates settle the day/month
order before any row is produced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from collectors.dates import DateOrder, is_ambiguous
from collectors.mention import normalize_phone
from collectors.readers import ImportFileError, Row, detect_encoding, not_decodable

_START = re.compile(r"^[\u200e\u200f]?\[?(\d{1,2}/\d{1,2}/\d{2,4}),?\s+"
                    r"(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[\s\u202f\u00a0]*[AaPp]\.?\s?[Mm]\.?)?)\]?"
                    r"\s*(?:-\s+)?(.*)$")
_SENDER = re.compile(r"^([^:]{1,128}?):\s?(.*)$", re.S)
MEDIA = re.compile(r"^[\u200e]?(<Media tidak disertakan>|<Media omitted>|(image|video|audio|sticker|GIF|document) "
                   r"omitted|(gambar|video|audio|stiker|dokumen) tidak disertakan)$", re.I)
DELETED = ("Pesan ini telah dihapus", "This message was deleted", "Anda menghapus pesan ini",
           "You deleted this message")
_PHONE = re.compile(r"^\+?[\d\s\-()]{8,20}$")
ATTACHMENT = "[lampiran tanpa teks]"


def looks_like_chat(path: Path) -> bool:
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            if line.strip():
                return _START.match(line.strip()) is not None
    return False


def chat_rows(path: Path, order: DateOrder, own: str | None = None) -> Iterator[Row]:
    encoding = detect_encoding(path)
    messages = list(_messages(path, encoding))
    if not messages:
        raise ImportFileError(f"{path}: no WhatsApp messages found (lines start like '29/11/26 18.41 - Nama: …')")
    for _, stamp, _, _ in messages:
        order.settle(stamp)
    if order.order is None:
        example = next((stamp for _, stamp, _, _ in messages if is_ambiguous(stamp)), None)
        if example is not None:
            raise ImportFileError(f"{path}: the chat's dates, such as {example!r}, could be day/month or "
                                  "month/day; say which with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY")
    own_key = own.strip().casefold() if own else None
    last_thread: str | None = None
    for line, stamp, sender, text in messages:
        author, name = _who(sender)
        is_own = own_key is not None and sender.strip().casefold() == own_key
        thread = last_thread if is_own else f"wa:{author}"
        if not is_own:
            last_thread = thread
        row = {"text": ATTACHMENT if MEDIA.match(text.strip()) else text, "created_at": stamp,
               "author": author, "author_name": name, "platform": "whatsapp", "thread_key": thread,
               "whatsapp_sender": sender}
        content = f"{stamp} - {sender}: {text}"
        if is_own:
            if thread is None:
                continue  # the owner wrote first: an answer to nobody in this chat
            row["is_own"] = True
        yield line, not_decodable(content, encoding) or row, content


def _who(sender: str) -> tuple[str, str | None]:
    sender = sender.strip().strip("\u200e\u202a\u202c")
    if _PHONE.match(sender):
        return normalize_phone(sender), None
    return sender, sender


def _messages(path: Path, encoding: str) -> Iterator[tuple[int, str, str, str]]:
    """(line of the first line, 'date time', sender, text) of each message, system lines left out."""
    current: list | None = None
    with path.open(encoding=encoding, errors="surrogateescape") as fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            start = _START.match(line)
            if start is None:
                if current is not None:
                    current[3] += "\n" + line
                continue
            if current is not None and _kept(current):
                yield tuple(current)
            stamp = f"{start.group(1)} {' '.join(start.group(2).replace('.', ':', 2).split())}"
            stamp = re.sub(r"\s*([AaPp])\.?\s?([Mm])\.?$", r" \1\2", stamp)
            sender = _SENDER.match(start.group(3))
            current = [number, stamp, sender.group(1), sender.group(2)] if sender else None
    if current is not None and _kept(current):
        yield tuple(current)


def _kept(message: list) -> bool:
    text = message[3].strip().strip("\u200e")
    return bool(text) and text not in DELETED
