"""Where export files live before they reach a person: readable by the server's user only
(folder 0700, files 0600, created with O_EXCL so nothing can be slipped in their place) and
deleted once downloaded. Exports hold citizens' reports and, for admins, phone numbers."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from console.services.errors import ServiceError


def private_folder(path: Path) -> Path:
    """``path`` as a folder only this user can enter; refused when it is someone else's or a
    symlink (a shared temp folder could hold one planted by another account)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ServiceError(f"{path} is not a private folder of this account; exports are not written there",
                           "export_folder", folder=str(path))
    path.chmod(0o700)
    return path


def new_private_file(folder: Path, prefix: str = "", suffix: str = "") -> Path:
    """A new empty file of mode 0600 in ``folder``; writers that open it again keep the mode."""
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    os.close(handle)
    return Path(name)
