"""Which column of a file is which field: Indonesian and English names, case-insensitive.

A header is compared after lower-casing and turning ``.``, ``_``, ``-`` and ``:`` into spaces,
so ``No. Tiket``, ``no tiket`` and ``NO_TIKET`` are one name. ``--map "Isi Laporan=text"``
names any other column. Columns that map to no field are kept in the mention's ``raw``
under their own name (``Kategori``, ``Status`` of a LAPOR! export). The table is README's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELDS = ("text", "created_at", "author", "author_name", "platform", "external_id", "thread_key",
          "permalink", "in_reply_to")
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "teks", "isi", "pesan", "isi laporan", "laporan", "keluhan", "aduan", "message"),
    "created_at": ("created_at", "waktu", "tanggal", "tgl", "tanggal laporan", "tgl laporan", "waktu laporan",
                   "date", "time", "timestamp"),
    "author": ("author", "pengirim", "nomor", "no hp", "nomor hp", "pelapor", "sender", "phone"),
    "author_name": ("author_name", "nama pengirim", "nama pelapor", "name"),
    "platform": ("platform", "kanal", "sumber", "saluran", "channel"),
    "external_id": ("external_id", "id", "no tiket", "nomor tiket", "tiket", "id laporan"),
    "thread_key": ("thread_key", "utas", "thread"),
    "permalink": ("permalink", "tautan", "link", "url"),
    "in_reply_to": ("in_reply_to", "balasan untuk", "membalas", "reply_to"),
}
# "nama" is the author when the file has no other author column (a list of names), else
# the author's display name next to a number column ("Nama", "Nomor").
NAME = "nama"
_SEPARATORS = re.compile(r"[._\-:\s]+")


def key(header: str) -> str:
    return _SEPARATORS.sub(" ", header.strip().lower()).strip()


_BY_ALIAS = {key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


class ColumnError(ValueError):
    """The header cannot be mapped (the message names the column)."""


@dataclass(frozen=True)
class ColumnMap:
    """header → field for the mapped columns, in header order; other columns keep their names."""
    fields: dict[str, str]

    def apply(self, row: dict) -> dict:
        return {self.fields.get(column, column): value for column, value in row.items()}

    def column_of(self, field_name: str) -> str | None:
        return next((c for c, f in self.fields.items() if f == field_name), None)

    def describe(self) -> list[str]:
        return [f"{column} → {name}" for column, name in self.fields.items()]


def parse_map(text: str | None) -> dict[str, str]:
    """``"Isi Laporan=text,Tgl=created_at"`` → {"isi laporan": "text", "tgl": "created_at"}."""
    chosen: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        column, sep, name = part.partition("=")
        name = name.strip()
        if not sep or not column.strip():
            raise ColumnError(f"--map {part.strip()!r}: write COLUMN=FIELD, e.g. \"Isi Laporan=text\"")
        if name not in FIELDS:
            raise ColumnError(f"--map {part.strip()!r}: {name!r} is not a field; fields: {', '.join(FIELDS)}")
        chosen[key(column)] = name
    return chosen


def map_columns(header: list[str], chosen: dict[str, str] | None = None) -> ColumnMap:
    chosen = chosen or {}
    keys = {key(h): h for h in header}
    for column in chosen:
        if column not in keys:
            raise ColumnError(f"--map names column {column!r}, which the file does not have "
                              f"(columns: {', '.join(header)})")
    fields: dict[str, str] = {}
    for h in header:
        name = chosen.get(key(h)) or _BY_ALIAS.get(key(h))
        if name is None:
            continue
        if name in fields.values():
            raise ColumnError(f"columns {fields_column(fields, name)!r} and {h!r} both mean {name}; "
                              f"say which with --map \"{h}=…\"")
        fields[h] = name
    name_column = next((h for h in header if key(h) == NAME and h not in fields), None)
    if name_column is not None:
        name = "author_name" if "author" in fields.values() else "author"
        if name not in fields.values():
            fields[name_column] = name
    return ColumnMap(fields)


def fields_column(fields: dict[str, str], name: str) -> str:
    return next(c for c, f in fields.items() if f == name)
