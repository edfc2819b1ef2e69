"""Model versions on disk and which one is active.

    <root>/<version>/category.skops, urgency.skops   the two fitted pipelines
    <root>/<version>/model.json                       decision settings + test metrics
    <root>/<version>/card.json, card.md               the model card
    <root>/ACTIVE                                     the active version's name

Every function takes the model folder ``root`` as an argument (the app passes its
``TANGGAP_MODEL_DIR`` setting); the classifier reads no settings of its own. Versions are
never deleted, so an earlier model can be activated again; classifier.gate decides whether a
retrained one replaces the active one (its verdict is kept in model.json as ``gate``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ACTIVE_FILE = "ACTIVE"
SETTINGS_FILE = "model.json"


class RegistryError(Exception):
    """A model version that does not exist or cannot be activated; the message says why."""


@dataclass(frozen=True)
class ModelInfo:
    version: str
    created: str
    active: bool
    metrics: dict[str, float]
    note: str
    gate: dict | None = None  # classifier.gate's verdict (None: not gated)


def version_dir(root: Path, version: str) -> Path:
    if not version or "/" in version or version.startswith("."):
        raise RegistryError(f"{version!r} is not a model version name")
    return Path(root) / version


def new_version_name(root: Path, data_hash: str, when: datetime) -> str:
    """e.g. 20261129-0815-3fa2b1c0: the UTC time of training and the training-data hash."""
    base = f"{when:%Y%m%d-%H%M}-{data_hash[:8]}"
    name, n = base, 2
    while (Path(root) / name).exists():
        name, n = f"{base}-{n}", n + 1
    return name


def read_settings(folder: Path) -> dict:
    return json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))


def active_version(root: Path) -> str | None:
    pointer = Path(root) / ACTIVE_FILE
    if not pointer.is_file():
        return None
    version = pointer.read_text(encoding="utf-8").strip()
    return version if version and (Path(root) / version / SETTINGS_FILE).is_file() else None


def active_dir(root: Path) -> Path | None:
    version = active_version(root)
    return Path(root) / version if version else None


def active_stamp(root: Path) -> int:
    """Changes whenever a version is activated (for caches)."""
    try:
        return (Path(root) / ACTIVE_FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def activate(root: Path, version: str) -> Path:
    folder = version_dir(root, version)
    if not (folder / SETTINGS_FILE).is_file():
        known = ", ".join(m.version for m in list_models(root)) or "none"
        raise RegistryError(f"no model version {version!r} in {root} (known: {known})")
    tmp = Path(root) / (ACTIVE_FILE + ".tmp")
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, Path(root) / ACTIVE_FILE)
    return folder


def list_models(root: Path) -> list[ModelInfo]:
    """All versions, oldest first."""
    root, active = Path(root), active_version(root)
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if (p / SETTINGS_FILE).is_file()):
        s = read_settings(folder)
        out.append(ModelInfo(folder.name, s.get("created", ""), folder.name == active,
                             s.get("test_metrics", {}), s.get("note", ""), s.get("gate")))
    return out
