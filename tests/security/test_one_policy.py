"""README (Security): "Every service, page and command asks [the policy]; no other module
compares role names." A role name compared anywhere but the policy is a second rule."""

from __future__ import annotations

import re
from pathlib import Path

from store.vocabulary import ROLES

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "console/services/policy.py"
ROLE = "|".join(ROLES)
COMPARISONS = re.compile(
    rf"""(==|!=)\s*["']({ROLE})["']"""  # x == "admin"
    rf"""|["']({ROLE})["']\s*(==|!=)"""  # "admin" == x
    rf"""|\brole\s*(==|!=)"""  # user.role == some_name (checking against ROLES is validation, allowed)
    rf"""|\bin\s*[(\[{{]\s*["']({ROLE})["']""")  # x in ("admin", …)


def _app_modules() -> list[Path]:
    folders = ("collectors", "classifier", "console", "store")
    files = [p for folder in folders for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]
    return [*files, ROOT / "streamlit_app.py", ROOT / "streamlit_server.py"]


def test_the_probe_finds_a_role_comparison():
    assert COMPARISONS.search('if user.role == "admin":')
    assert COMPARISONS.search("if principal.role in ('admin', 'komunikasi'):")
    assert not COMPARISONS.search('policy.allowed(principal, Action.EXPORT, case)')


def test_no_module_but_the_policy_compares_role_names():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _app_modules() if path != POLICY
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if COMPARISONS.search(line) and not line.lstrip().startswith("#")]
    assert found == []
