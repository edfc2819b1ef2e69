"""The shared vocabulary: one place, described by the classifier, not imported around."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from classifier import taxonomy
from store import vocabulary

ROOT = Path(__file__).resolve().parents[2]


def test_taxonomy_describes_exactly_the_vocabulary_ids_in_order():
    assert tuple(label.id for label in taxonomy.CATEGORY_LABELS) == vocabulary.CATEGORIES
    assert tuple(label.id for label in taxonomy.URGENCY_LABELS) == vocabulary.URGENCIES


def test_urgency_rank_follows_the_order_and_untagged_sorts_last():
    assert sorted(vocabulary.URGENCIES, key=vocabulary.URGENCY_RANK.__getitem__) == list(vocabulary.URGENCIES)
    assert vocabulary.UNTAGGED_RANK > max(vocabulary.URGENCY_RANK.values())
    assert vocabulary.CRITICAL == vocabulary.URGENCIES[0]


@pytest.mark.parametrize("a, b", [(a, b) for a in vocabulary.URGENCIES for b in vocabulary.URGENCIES])
def test_more_urgent_picks_the_lower_rank(a, b):
    winner = vocabulary.more_urgent(a, b)
    assert winner in (a, b)
    assert vocabulary.URGENCY_RANK[winner] == min(vocabulary.URGENCY_RANK[a], vocabulary.URGENCY_RANK[b])


def test_open_statuses_and_agency_roles_are_part_of_their_lists():
    assert set(vocabulary.OPEN_STATUSES) < set(vocabulary.CASE_STATUSES)
    assert set(vocabulary.AGENCY_ROLES) < set(vocabulary.ROLES)


def _store_imports(path: Path) -> list[str]:
    """Every module of the ``store`` package that one file imports, at any depth in it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "store"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "store":  # from store import vocabulary
                found += [f"store.{alias.name}" for alias in node.names]
            elif node.module.startswith("store."):
                found.append(node.module)
    return found


def test_the_classifier_imports_only_the_vocabulary_from_the_store():
    files = sorted((ROOT / "classifier").glob("*.py"))
    assert len(files) > 10, "the glob found too few classifier modules; the test would pass vacuously"
    imports = {path.name: _store_imports(path) for path in files}
    assert any(imports.values()), "no classifier module imports the vocabulary; is the walk broken?"
    assert {name: mods for name, mods in imports.items() if set(mods) - {"store.vocabulary"}} == {}


def test_the_import_walk_sees_every_way_of_importing_the_store(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import store.db\nfrom store import settings\n"
                      "def f():\n    from store.tables import Case\n", encoding="utf-8")
    assert _store_imports(sample) == ["store.db", "store.settings", "store.tables"]
