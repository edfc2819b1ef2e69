"""collectors/README.md's import section is what the importer does: the alias table is
collectors.columns' table, every date example reads as a time, every suffix is accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collectors.columns import ALIASES, FIELDS, NAME, map_columns
from collectors.dates import DAY_FIRST, DateOrder, parse_time
from collectors.files import ImportFileError, import_file

README = (Path(__file__).parents[2] / "collectors" / "README.md").read_text()
SECTION = README[README.index("## File import columns"):README.index("Bad rows go to the rejects file")]


def table_rows(header: str) -> list[list[str]]:
    block = SECTION[SECTION.index(header):].split("\n\n")[0]
    return [[c.strip() for c in line.strip("|").split("|")] for line in block.splitlines()[2:]]


def test_the_alias_table_is_the_importers_table():
    documented = {}
    for field, _, also, _ in table_rows("| field | required | also accepted as | meaning |"):
        names = re.findall(r"`([^`]+)`", also)
        documented[field.strip("`")] = {n for n in names if n != NAME}
    assert set(documented) == set(FIELDS)
    for field, aliases in ALIASES.items():
        assert documented[field] | {field} == set(aliases), field
    # "nama": the author alone, the author's name beside a number column
    assert map_columns(["Nama", "Isi"]).fields == {"Isi": "text", "Nama": "author"}
    assert map_columns(["Nama", "Nomor"]).fields == {"Nomor": "author", "Nama": "author_name"}


def test_every_documented_time_example_reads():
    examples = []
    for _, example in table_rows("| form | example |"):
        examples += re.findall(r"`([^`]+)`", example)
    assert len(examples) >= 10
    for example in examples:
        value = float(example) if re.fullmatch(r"[\d.]+", example) else example
        parse_time(value, DateOrder(fixed=DAY_FIRST))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".jsonl", ".ndjson", ".json", ".txt", ".xls"])
def test_every_documented_suffix_is_known(tmp_path, suffix):
    assert f"`{suffix}`" in SECTION
    path = tmp_path / f"f{suffix}"
    path.write_bytes(b"")
    try:
        import_file(path)  # empty: refused for being empty (or nothing read), never for its type
    except ImportFileError as refused:
        assert "unknown file type" not in str(refused)
