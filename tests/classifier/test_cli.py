"""The classifier's commands: help texts, classify --jsonl streaming, model list/activate."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from console.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", [
    ["train"], ["evaluate"], ["classify"], ["model", "list"], ["model", "activate"]])
def test_every_classifier_command_has_help_with_an_example(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example: tanggap" in result.output


def test_classify_jsonl_reports_malformed_lines_and_goes_on(trained, tmp_path):
    lines = ['{"text": "tolong anak sy kejang di rogo jampi", "id": 1}',
             '{"text": "broken',
             '{"text": "lampu PJU mati di jalan raya genteng", "id": 3}',
             '[1, 2]',
             '{"id": 5}',
             '',
             '{"text": "terima kasih pak bupati", "id": 7}']
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", "--jsonl", str(source)])
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 3, 7]
    assert {"category", "urgency", "category_probability", "urgency_probability",
            "kecamatan"} <= out[0].keys()
    assert out[0]["kecamatan"] == "Rogojampi"
    assert "line 2:" in result.stderr and "line 4:" in result.stderr and "line 5:" in result.stderr
    assert "line 6" not in result.stderr  # a blank line is not an error
    assert result.exit_code == 1


def test_classify_reads_stdin(trained):
    result = runner.invoke(app, ["classify", "--jsonl", "-"],
                           input='{"text": "sampah menumpuk di pasar muncar"}\n'
                                 '{"text": "lampu jalan di desa tamansari mati"}\n')
    assert result.exit_code == 0, result.output
    first, second = map(json.loads, result.stdout.splitlines())
    assert (first["kecamatan_code"], first["place_candidates"]) == ("35.10.05", [])
    # a desa of two kecamatan, nothing else said: both offered
    assert second["kecamatan_code"] is None and sorted(second["place_candidates"]) == [
        ["Tamansari", "35.10.23"], ["Tamansari", "35.10.24"]]


def test_classify_one_text(trained):
    result = runner.invoke(app, ["classify", "syarat bikin KTP-el apa saja?"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["category"] == "adminduk"


def test_classify_without_a_model_says_to_train():
    result = runner.invoke(app, ["classify", "halo"])
    assert result.exit_code == 1
    assert "tanggap train" in result.stderr


def test_model_list_and_activate(trained):
    listed = runner.invoke(app, ["model", "list"])
    assert listed.exit_code == 0 and f"* {trained.name}" in listed.stdout
    assert runner.invoke(app, ["model", "activate", trained.name]).exit_code == 0
    missing = runner.invoke(app, ["model", "activate", "19990101-0000-nothere"])
    assert missing.exit_code == 1 and "no model version" in missing.stderr


def test_evaluate_json_on_a_file_with_only_urgency(trained, tmp_path):
    data = tmp_path / "eval.jsonl"
    data.write_text('{"text": "anak saya kejang tidak sadar", "urgency": "kritis"}\n'
                    '{"text": "usul PJU ditambah", "urgency": "rendah"}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "category" not in report and report["urgency"]["rows"] == 2
