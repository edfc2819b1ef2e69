"""The Ekspor page's download route: streams the offered file once, then deletes it."""

import asyncio
import time

from starlette.applications import Starlette
from starlette.routing import Route

from console import downloads


def get(path: str) -> tuple[int, dict[str, str], bytes, int]:
    """GET path on an app holding only the download route; status, headers, body, body chunks."""
    app = Starlette(routes=[Route(downloads.DOWNLOAD_PATH + "/{token}", downloads.serve)])
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "headers": [], "root_path": "",
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    sent: list[dict] = []
    requested = False

    async def receive():
        # The request once; then, as a client does, stay connected until the body is sent.
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        while not any(m["type"] == "http.response.body" and not m.get("more_body") for m in sent):
            await asyncio.sleep(0)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    chunks = [m["body"] for m in sent if m["type"] == "http.response.body" and m.get("body")]
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(chunks), len(chunks)


def test_an_offered_file_is_streamed_once_then_deleted(tmp_path):
    path = tmp_path / "x.part"
    content = b"case_id,summary\n" + b"1,jalan rusak\n" * 20_000  # 280 kB: several chunks
    path.write_bytes(content)
    link = downloads.offer(path, "kasus_20261129.csv", "text/csv")
    status, headers, body, chunks = get(link)
    assert status == 200 and body == content and chunks > 1
    assert headers["content-type"].startswith("text/csv")
    assert 'filename="kasus_20261129.csv"' in headers["content-disposition"]
    assert not path.exists()
    status, _, body, _ = get(link)  # single use
    assert status == 404 and b"Ekspor" in body


def test_unknown_expired_and_withdrawn_links_serve_nothing(tmp_path, monkeypatch):
    assert get(downloads.DOWNLOAD_PATH + "/made-up-token")[0] == 404
    offered_at = time.time()
    monkeypatch.setattr(time, "time", lambda: offered_at)
    fresh, old = tmp_path / "fresh.part", tmp_path / "old.part"
    fresh.write_bytes(b"x")
    old.write_bytes(b"x")
    fresh_link = downloads.offer(fresh, "fresh.csv", "text/csv")
    old_link = downloads.offer(old, "old.csv", "text/csv")
    monkeypatch.setattr(time, "time", lambda: offered_at + 59 * 60)  # within the hour: served
    assert get(fresh_link)[0] == 200
    monkeypatch.setattr(time, "time", lambda: offered_at + 61 * 60)  # an hour on: gone, file deleted
    assert get(old_link)[0] == 404 and not old.exists()
    monkeypatch.undo()
    kept = tmp_path / "kept.part"
    kept.write_bytes(b"x")
    link = downloads.offer(kept, "kept.csv", "text/csv")
    downloads.withdraw(link)
    assert not kept.exists() and get(link)[0] == 404


def test_the_console_server_serves_the_download_route():
    import streamlit_server
    [route] = streamlit_server.ROUTES
    assert route.path == downloads.DOWNLOAD_PATH + "/{token}" and route.endpoint is downloads.serve
    assert isinstance(streamlit_server.app, __import__("streamlit").App)
