"""Docs are tested: every setting is documented in README, and README starts with the
two set-up commands."""

from pathlib import Path

from store.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_readme():
    missing = [f"TANGGAP_{name.upper()}" for name in Settings.model_fields
               if f"TANGGAP_{name.upper()}" not in README]
    assert missing == []


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
