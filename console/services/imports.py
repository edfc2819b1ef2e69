"""File import for the console (the Admin page's form) and the CLI's dry-run lines.

The same import as `tanggap import` (collectors.files), asked of the permission policy first:
admins and the comms team may import (Action.IMPORT). The upload is written to a private
temporary directory, imported (or only read, in a dry run), and the rejects file handed back
as bytes for download; the directory is removed whatever happens.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from collectors.files import ImportFileError, ImportOptions, ImportReport, import_file
from collectors.mention import Mention
from console.services import policy
from console.services.auth import Principal, refresh_principal
from console.services.errors import BadInput
from console.services.policy import Action
from store.db import read_session
from store.settings import get_settings

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # Streamlit's own default upload limit
PREVIEW_TEXT = 60


@dataclass(frozen=True)
class ImportResult:
    report: ImportReport
    rejects_csv: bytes | None  # the rejects file, for download


def preview_line(mention: Mention) -> str:
    """One parsed row as the dry run shows it: local time, platform, author, thread, text."""
    local = mention.created_at.astimezone(get_settings().zone)
    text = " ".join(mention.text.split())
    if len(text) > PREVIEW_TEXT:
        text = text[:PREVIEW_TEXT - 1] + "…"
    thread = f" [{mention.thread_key}]" if mention.thread_key else ""
    own = " (response)" if mention.is_own else ""
    return f"{local:%d/%m/%Y %H:%M} {mention.platform} {mention.author_id or '-'}{thread}{own}: {text}"


def import_upload(principal: Principal, filename: str, data: bytes, options: ImportOptions) -> ImportResult:
    """Import an uploaded file (``options.dry_run``: read it and store nothing)."""
    with read_session() as session:
        policy.require(refresh_principal(session, principal), Action.IMPORT)
    name = Path(filename).name
    if not name or name.startswith("."):
        raise BadInput(f"file name {filename!r} has no name or suffix", "import_file_name", name=filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise BadInput(f"file is {len(data):,} bytes; at most {MAX_UPLOAD_BYTES:,}", "import_too_big",
                       size=f"{len(data) // 1_000_000:,} MB", limit=f"{MAX_UPLOAD_BYTES // 1_000_000} MB")
    with tempfile.TemporaryDirectory(prefix="tanggap-import-") as folder:
        source = Path(folder) / name
        source.write_bytes(data)
        rejects = Path(folder) / "rejects.csv"
        try:
            report = import_file(source, rejects, options=options)
        except ImportFileError as exc:
            reason = str(exc).replace(str(source), name)
            raise BadInput(reason, "import_refused", reason=reason) from None
        return ImportResult(report, rejects.read_bytes() if report.rejects_path else None)
