"""The CLI layer: `tanggap collect` and `tanggap import` call one function each and turn
errors into one clear line; every command has help with an example."""

from __future__ import annotations

from typer.testing import CliRunner

from console.cli import app, collect_cmds, worker_cmds

runner = CliRunner()


def test_collect_names_the_missing_settings_of_a_named_source(db):
    result = runner.invoke(app, ["collect", "--once", "--source", "twitter"])
    assert result.exit_code == 1
    assert "TANGGAP_X_ACCOUNT, TANGGAP_X_BEARER_TOKEN" in result.output


def test_collect_without_any_configured_source_says_so(db):
    result = runner.invoke(app, ["collect", "--once"])
    assert result.exit_code == 1
    assert "facebook: skipped, not configured" in result.output and "no source is configured" in result.output


def test_import_prints_the_counts(db, tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("text,created_at\nJalan rusak,2026-11-29 08:00\n,2026-11-29 08:00\n")
    result = runner.invoke(app, ["import", str(source)])
    assert result.exit_code == 0, result.output
    assert "read 2, imported 1, duplicates 0, rejected 1" in result.output
    assert (tmp_path / "a.csv.rejects.csv").exists()


def test_commands_have_help_with_an_example():
    for func in (worker_cmds.collect, worker_cmds.worker, collect_cmds.import_):
        assert "Example: tanggap " in func.__doc__
