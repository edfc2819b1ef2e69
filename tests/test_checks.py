"""What README's "Tests and CI" section says CI and `make lint` run."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_ci_runs_ruff_then_mypy_before_the_suite():
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith(("#", " "))]
    order = [commands.index(c) for c in (".venv/bin/ruff check .", ".venv/bin/mypy", "make test")]
    assert order == sorted(order)


def test_make_lint_runs_ruff_and_mypy():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1).split("\n")
    assert [line.strip() for line in recipe if line] == ["$(BIN)/ruff check .", "$(BIN)/mypy"]


def test_mypy_checks_the_store_the_collectors_the_console_services_and_the_worker():
    mypy = _pyproject()["tool"]["mypy"]
    assert mypy["files"] == ["store", "collectors", "console/services", "console/worker"]
    assert mypy["check_untyped_defs"] is True


def test_the_modules_mypy_does_not_yet_pass_exist_and_are_named_one_by_one():
    # A wildcard here would silently exempt every new module too.
    for override in _pyproject()["tool"]["mypy"]["overrides"]:
        if override.get("ignore_errors"):
            for module in override["module"]:
                assert "*" not in module, module
                assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module


def test_ruff_selects_the_wider_rule_set_with_complexity_at_most_12():
    lint = _pyproject()["tool"]["ruff"]["lint"]
    assert {"RUF", "SIM", "C90", "DTZ", "BLE", "PGH"} <= set(lint["select"])
    assert lint["mccabe"]["max-complexity"] == 12


def test_every_noqa_names_its_code_and_says_why():
    bare = []
    for path in ROOT.glob("**/*.py"):
        if ".venv" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.search(r"#\s*noqa\b(.*)", line)
            if match and not re.match(r":\s*[A-Z]+[0-9]+(,\s*[A-Z]+[0-9]+)*\b\s*[-(#]?\s*\S", match.group(1)):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert bare == []


# Modules that read the clock without freezing it, and why their outcome does not depend on it.
CLOCK_READERS_NOT_FROZEN = {
    "tests/conftest.py": "fixtures: they run under the clock of the test that uses them",
    "tests/console/conftest.py": "fixtures: they run under the clock of the test that uses them",
    "tests/e2e/test_browser.py": "the app runs in its own server process, which time-machine cannot reach",
    "tests/security/test_login_lockout.py": "passes `now` to authenticate; only the minutes between tries count",
}


def test_every_test_module_that_reads_the_clock_freezes_it():
    unfrozen = []
    for path in sorted((ROOT / "tests").glob("**/*.py")):
        name = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        if name in CLOCK_READERS_NOT_FROZEN or name == "tests/test_checks.py":
            continue
        if re.search(r"\bnow\(|\butcnow\(\)|date\.today\(", source.replace("def now(", "")) and not (
                "pytestmark = AT_NOON_WIB" in source or "time_machine" in source):
            unfrozen.append(name)
    assert unfrozen == []
    assert all((ROOT / name).is_file() for name in CLOCK_READERS_NOT_FROZEN)
