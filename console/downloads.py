"""One-time downloads of generated files, served in chunks by a route beside the Streamlit app.

``st.download_button`` reads its data whole into the server's memory (a 1M-case export is
hundreds of MB), so the Ekspor page instead offers the temporary file under an unguessable
single-use link, ``/ekspor/unduh/<token>``. The route (added to the Starlette server in
``streamlit_server.py``) streams the file in 64 KiB chunks and deletes it once sent. A link
is valid for one download within ``KEEP``; files never fetched are swept by the page.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

DOWNLOAD_PATH = "/ekspor/unduh"
KEEP = timedelta(hours=1)


@dataclass(frozen=True)
class Offer:
    path: Path
    filename: str
    media_type: str
    expires_at: float  # time.time()


_offers: dict[str, Offer] = {}
_lock = threading.Lock()


def offer(path: Path, filename: str, media_type: str) -> str:
    """Register ``path`` for one download; returns the link's path (below the server root)."""
    token = secrets.token_urlsafe(32)
    with _lock:
        _offers[token] = Offer(Path(path), filename, media_type, time.time() + KEEP.total_seconds())
    return f"{DOWNLOAD_PATH}/{token}"


def withdraw(link: str) -> None:
    """Drop an offer that was not fetched (the page made a new file); deletes its file."""
    with _lock:
        gone = _offers.pop(link.rsplit("/", 1)[-1], None)
    if gone:
        gone.path.unlink(missing_ok=True)


def _take(token: str) -> Offer | None:
    with _lock:
        found = _offers.pop(token, None)
    if found and found.expires_at < time.time():
        found.path.unlink(missing_ok=True)
        return None
    return found


async def serve(request: Request) -> Response:
    """GET /ekspor/unduh/<token>: the file as an attachment, once; 404 for an unknown,
    used or expired link."""
    found = _take(request.path_params["token"])
    if found is None or not found.path.is_file():
        return PlainTextResponse("Tautan unduhan tidak berlaku lagi (sudah dipakai atau kedaluwarsa). "
                                 "Buat file lagi di halaman Ekspor. / This download link is no longer valid "
                                 "(already used or expired); create the file again on the Ekspor page.",
                                 status_code=404)
    return FileResponse(found.path, media_type=found.media_type, filename=found.filename,
                        background=BackgroundTask(found.path.unlink, missing_ok=True))
