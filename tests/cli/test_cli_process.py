"""The CLI as a real process, where warnings logged on the way reach stderr too (CliRunner
shows only what the command echoes): README's "one line on stderr and exit code 2" holds
for what an operator really sees."""

from __future__ import annotations

import os
import subprocess
import sys


def tanggap(*args: str, cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANGGAP_")}
    env["TANGGAP_DATABASE_URL"] = f"sqlite:///{cwd / 'tanggap.db'}"
    return subprocess.run([sys.executable, "-m", "console.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_command_on_a_never_migrated_database_prints_one_line(tmp_path):
    (tmp_path / "tanggap.db").touch()
    result = tanggap("case", "list", "--as", "ani", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: the database has no Tanggap tables (or an older schema): run `tanggap db upgrade` first"]


def test_db_upgrade_of_a_new_database_prints_no_warning(tmp_path):
    result = tanggap("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout.startswith("database at revision ")
