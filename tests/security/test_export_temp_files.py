"""Export files before they reach a person: mode 0600 in a 0700 folder, created fresh (never
an existing file or a planted symlink), and deleted once downloaded, on the Ekspor page and
for `tanggap export`'s side file."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from console.services import ServiceError
from console.services.export_files import new_private_file, private_folder
from store.types import utcnow
from tests.console.conftest import no_exception
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The most permissive umask a server could run with."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_files_are_0600_and_folders_0700_whatever_the_umask(tmp_path, open_umask):
    folder = private_folder(tmp_path / "ekspor")
    path = new_private_file(folder, suffix=".part")
    path.write_text("kasus")  # the writers open it again: the mode stays
    assert (mode(folder), mode(path)) == (0o700, 0o600)


def test_an_existing_open_folder_is_closed_and_a_symlink_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert mode(private_folder(shared)) == 0o700
    (tmp_path / "planted").symlink_to(shared)
    with pytest.raises(ServiceError, match="is not a private folder"):
        private_folder(tmp_path / "planted")


def test_the_export_page_writes_a_private_file_and_offers_a_single_use_link(app, make_user, make_case, open_umask):
    """The file waits 0600 in a 0700 folder; the link streams it and deletes it once sent
    (tests/console/test_downloads.py follows the link)."""
    staff = make_user("ani", "komunikasi")
    make_case("jalan rusak", created_at=utcnow() - timedelta(hours=2), category="infrastruktur", urgency="sedang")
    at = app(staff, "console/export.py")
    at.button(key="export_make").click().run()
    no_exception(at)
    path = Path(at.session_state["export_file"]["path"])
    assert (mode(path.parent), mode(path)) == (0o700, 0o600)
    [link] = at.get("link_button")
    assert link.proto.url == at.session_state["export_file"]["link"]


def test_the_cli_export_is_0600_and_leaves_no_side_file(db, make_user, tmp_path, open_umask):
    make_user("ani", "komunikasi")
    out = tmp_path / "laporan.csv"
    result = CliRunner().invoke(__import__("console.cli", fromlist=["app"]).app,
                                ["export", "--out", str(out), "--as", "ani"])
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600 and [p.name for p in tmp_path.iterdir() if "laporan" in p.name] == ["laporan.csv"]


def test_changing_a_choice_deletes_the_file_made_for_the_old_one(app, make_user):
    at = app(make_user("ani", "komunikasi"), "console/export.py")
    at.button(key="export_make").click().run()
    path = Path(at.session_state["export_file"]["path"])
    assert path.exists()
    at.radio(key="export_format").set_value("xlsx").run()
    assert not path.exists()
