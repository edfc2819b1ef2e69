"""Docs are tested: README's settings table, command examples, demo accounts and set-up
commands say what the code does."""

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import typer.main

from console.cli.app import app
from console.demo.users import DEMO_USERS
from store.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """README's text under a heading, up to the next heading of any level."""
    start = README.index(f"\n{title}\n") + len(title) + 2
    following = re.search(r"^#{1,6} ", README[start:], flags=re.MULTILINE)
    return README[start:start + following.start()] if following else README[start:]


def _table_rows(text: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]
    return rows[2:]  # past the header and its |---| line


def test_every_setting_is_documented_in_readme():
    missing = [f"TANGGAP_{name.upper()}" for name in Settings.model_fields
               if f"TANGGAP_{name.upper()}" not in README]
    assert missing == []



# Names the docs use that are not Settings fields: the secrets folder is read by load_settings
# itself, the test database only by tests/conftest.py.
NOT_SETTINGS = {"TANGGAP_SECRETS_DIR", "TANGGAP_TEST_DATABASE_URL"}


@pytest.mark.parametrize("doc", ["README.md", "collectors/README.md"])
def test_every_setting_the_docs_name_exists(doc):
    named = set(re.findall(r"TANGGAP_[A-Z0-9_]+", (ROOT / doc).read_text(encoding="utf-8")))
    real = {f"TANGGAP_{name.upper()}" for name in Settings.model_fields}
    assert named - real - NOT_SETTINGS == set()

def _readme_defaults() -> dict[str, str]:
    defaults = {}
    for names, default, _meaning in _table_rows(_section("## Settings")):
        for name in re.findall(r"`TANGGAP_(\w+)`", names):
            defaults[name.lower()] = default.strip("`")
    return defaults


def _as_written(value: object) -> str:
    """A default as README's table writes it: – for none, JSON-ish {} for an empty mapping."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "{}" if value == {} else str(value)


def test_readme_settings_table_gives_each_settings_real_default():
    written = _readme_defaults()
    assert written.keys() == Settings.model_fields.keys()
    actual = {name: _as_written(field.get_default(call_default_factory=True))
              for name, field in Settings.model_fields.items()}
    assert written == actual


def _readme_commands() -> list[list[str]]:
    """Every `tanggap …` invocation in the Command line section's code block, as words
    without the optional brackets and the trailing comment."""
    block = _section("## Command line").split("```")[1]
    commands = []
    for line in block.splitlines():
        line = re.sub(r"\s#\s.*$", "", line)
        for part in re.split(r"\s;\s", line):  # `tanggap model list ; tanggap model activate`, not --delimiter ";"
            if "tanggap " not in part:
                continue
            words = shlex.split(part[part.index("tanggap "):].replace("[", " ").replace("]", " "))
            commands.append(words[1:])
    return commands


def test_readme_lists_every_cli_command():
    group = typer.main.get_command(app)
    shown = {tuple(words[:2]) if words[0] in group.commands and hasattr(group.commands[words[0]], "commands")
             else (words[0],) for words in _readme_commands()}
    every = {(name, sub) for name, cmd in group.commands.items() for sub in getattr(cmd, "commands", {})}
    every |= {(name,) for name, cmd in group.commands.items() if not hasattr(cmd, "commands")}
    assert every - shown == set(), "commands README's Command line block does not show"


@pytest.mark.parametrize("words", _readme_commands(), ids=lambda words: " ".join(words[:2]))
def test_each_readme_command_and_option_exists(words):
    command = typer.main.get_command(app)
    path = []
    while hasattr(command, "commands"):
        assert words[len(path)] in command.commands, f"tanggap {' '.join(path + words[len(path):][:1])}"
        command = command.commands[words[len(path)]]
        path.append(words[len(path)])
    known = {opt for param in command.params for opt in param.opts + param.secondary_opts}
    shown = {word.split("=")[0] for word in words if word.startswith("--")}
    assert shown - known == set(), f"tanggap {' '.join(path)} has no such option"


def test_readme_demo_accounts_are_the_demo_users():
    rows = _table_rows(_section("### Demo data (`tanggap demo`)"))
    written = set()
    for users, role, passwords in rows:
        agencies = re.findall(r"[A-Z0-9_]+", role.partition("(")[2]) or [None]
        for i, (user, password) in enumerate(zip(users.split(", "), passwords.split(", "), strict=True)):
            written.add((user, role.partition(" ")[0], agencies[i] if len(agencies) > 1 else agencies[0],
                         password))
    assert written == {(u.username, u.role, u.agency, u.password) for u in DEMO_USERS}


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def _recipe(target: str) -> list[str]:
    """The commands of a Makefile target, continuation lines joined."""
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", MAKEFILE, flags=re.MULTILINE)
    return [" ".join(line.split()) for line in match.group(1).replace("\\\n", " ").splitlines()]


def test_make_run_migrates_trains_loads_demo_data_once_and_serves_console_and_worker():
    assert re.search(r"^run: install$", MAKEFILE, flags=re.MULTILINE)
    recipe = _recipe("run")
    assert recipe[:3] == ["$(BIN)/tanggap db upgrade", "$(BIN)/tanggap train --if-missing",
                          "$(BIN)/tanggap demo --if-empty"]
    assert recipe[3] == "$(BIN)/tanggap serve --port $(PORT)"
    assert re.search(r"^PORT \?= 8501$", MAKEFILE, flags=re.MULTILINE)  # README: localhost:8501


def test_make_test_installs_then_runs_the_whole_suite():
    assert re.search(r"^test: install$", MAKEFILE, flags=re.MULTILINE)
    assert _recipe("test") == ["$(BIN)/pytest"]


def _package(requirement: str) -> str:
    """A distribution name as pip compares them: lower case, runs of -_. as one -."""
    name = re.split(r"[\[=<>!~ ;]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    every = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    return {_package(d) for d in every}


def test_readme_says_why_each_dependency_is_there_and_names_no_other():
    written = set()
    for packages, _why in _table_rows(_section("## Dependencies and why each is there")):
        written |= {_package(p) for p in re.split(r"[,/]", packages)}
    assert written == _declared_dependencies()


def test_every_dependency_is_pinned_in_constraints():
    pinned = {_package(line) for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
              if re.match(r"^[A-Za-z0-9][\w.\-]*==\S+$", line.strip())}
    assert _declared_dependencies() - pinned == set()


@pytest.mark.parametrize("doc", ["README.md", "collectors/README.md"])
def test_every_file_the_docs_name_exists(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:store|collectors|classifier|console|benchmarks|tests|docs)/[\w/.\-]*)`", text))
    if doc == "collectors/README.md":  # its module table names files of its own folder
        named |= {f"collectors/{name}" for name in re.findall(r"^\| `(\w+\.py)` \|", text, flags=re.MULTILINE)}
    assert len(named) > 5 and {path for path in named if not _exists(path)} == set()


def _exists(path: str) -> bool:
    """A file or folder, or a function written as module.function (store/stats.response_tables)."""
    if (ROOT / path).exists():
        return True
    module, _, function = path.rpartition(".")
    source = ROOT / f"{module}.py"
    return source.exists() and f"def {function}(" in source.read_text(encoding="utf-8")


def test_readme_example_passwords_meet_the_policy():
    from store.passwords import check_policy
    block = _section("## Command line").split("```")[1]
    examples = re.findall(r"echo '([^']+)' \| tanggap user add", block)
    assert examples
    for password in examples:
        check_policy(password)  # raises PasswordPolicyError naming the rule broken
