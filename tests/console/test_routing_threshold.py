"""The routing threshold as admins set it: the Admin page, `tanggap routing threshold`, the
audit trail, and the model's value as the default."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app as cli
from console.services import routing
from console.services.errors import PermissionDenied, ServiceError
from store.db import read_session
from store.tables import AdminEvent
from tests.console.conftest import no_exception, shown
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB
runner = CliRunner()
PAGE = "console/admin.py"


@pytest.fixture
def model_threshold(tmp_path, monkeypatch):
    """An active model folder whose settings give a routing threshold of 0.62 (no model is
    loaded to read it)."""
    root = tmp_path / "models"
    (root / "v1").mkdir(parents=True)
    (root / "v1" / "model.json").write_text(json.dumps({"version": "v1", "routing_threshold": 0.62}))
    (root / "ACTIVE").write_text("v1")
    monkeypatch.setenv("TANGGAP_MODEL_DIR", str(root))
    from store.settings import get_settings
    get_settings.cache_clear()
    return 0.62


def test_without_an_admin_value_the_models_threshold_applies(db, make_user, model_threshold):
    boss = make_user("boss", "admin")
    shown_value = routing.routing_threshold(boss)
    assert (shown_value.value, shown_value.source, shown_value.model_value) == (0.62, "model", 0.62)


def test_without_a_model_or_an_admin_value_nothing_is_routed(db, make_user):
    shown_value = routing.routing_threshold(make_user("boss", "admin"))
    assert (shown_value.value, shown_value.source) == (None, "none")


def test_setting_and_resetting_is_audited(db, make_user, model_threshold):
    boss = make_user("boss", "admin")
    assert routing.set_routing_threshold(boss, 0.8).value == 0.8
    assert routing.set_routing_threshold(boss, 0.8).source == "admin"  # the same again: no second event
    back = routing.set_routing_threshold(boss, None)
    assert (back.value, back.source) == (0.62, "model")
    with read_session() as s:
        events = s.exec(select(AdminEvent).where(AdminEvent.action == "routing_threshold_changed")
                        .order_by(AdminEvent.id)).all()
    assert [(e.actor_label, e.old_value, e.new_value) for e in events] == [
        ("boss", {"value": None}, {"value": 0.8}), ("boss", {"value": 0.8}, {"value": None})]


@pytest.mark.parametrize("value", [0, -0.1, 1.01])
def test_a_threshold_outside_zero_to_one_is_refused(db, make_user, value):
    with pytest.raises(ServiceError) as refused:
        routing.set_routing_threshold(make_user("boss", "admin"), value)
    assert refused.value.code == "routing_threshold_range"


@pytest.mark.parametrize("role", ["komunikasi", "kepala_dinas", "viewer"])
def test_only_an_admin_sees_or_sets_it(db, make_user, role):
    user = make_user("someone", role, agency="DINKES" if role == "kepala_dinas" else None)
    with pytest.raises(PermissionDenied):
        routing.set_routing_threshold(user, 0.9)
    with pytest.raises(PermissionDenied):
        routing.routing_threshold(user)


def test_the_command_shows_sets_and_resets(db, make_user, model_threshold):
    make_user("boss", "admin")
    result = runner.invoke(cli, ["routing", "threshold", "--as", "boss"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "routing threshold 0.62 (from: model; the model's: 0.62)"
    result = runner.invoke(cli, ["routing", "threshold", "0.75", "--as", "boss"])
    assert result.stdout.strip() == "routing threshold 0.75 (from: admin; the model's: 0.62)"
    result = runner.invoke(cli, ["routing", "threshold", "--reset", "--as", "boss"])
    assert result.stdout.strip() == "routing threshold 0.62 (from: model; the model's: 0.62)"
    result = runner.invoke(cli, ["routing", "threshold", "1.5", "--as", "boss"])
    assert result.exit_code == 1 and "probability above 0" in result.stderr


def test_the_command_has_help_with_an_example():
    result = runner.invoke(cli, ["routing", "threshold", "--help"])
    assert result.exit_code == 0 and "Example: tanggap routing threshold" in result.output


def test_the_admin_page_sets_the_threshold(app, make_user, model_threshold):
    boss = make_user("boss", "admin")
    at = app(boss, PAGE)
    no_exception(at)
    assert shown(at, "≥ 0.62 (ambang model")
    at.number_input(key="admin_routing_threshold").set_value(0.9)
    at.button(key="admin_routing_save").click().run()
    no_exception(at)
    assert shown(at, "≥ 0.9 (ditetapkan admin; ambang model: 0.62)")
    with read_session() as s:
        assert s.exec(select(AdminEvent.new_value).where(AdminEvent.action == "routing_threshold_changed")).one() == {
            "value": 0.9}
