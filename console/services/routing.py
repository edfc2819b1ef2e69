"""The routing threshold as the admin sees and sets it (Admin page, `tanggap routing
threshold`), and what a re-route teaches the model. Routing itself happens at intake
(store.routing); this module only reads and changes its setting. Admin only; audited like
every administration change."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlmodel import Session

from classifier import registry
from console.services.admin import audit, record, require_admin
from console.services.auth import Principal
from console.services.errors import ServiceError
from store.db import read_session, write_session
from store.routing import THRESHOLD_SETTING, admin_threshold
from store.settings import get_settings
from store.tables import AdminSetting
from store.types import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoutingThreshold:
    value: float | None  # the one in force; None: nothing is routed at intake
    admin_value: float | None  # the admin's, when set
    model_value: float | None  # the active model's (its card), the default

    @property
    def source(self) -> str:
        """'admin', 'model' or 'none': where the value in force comes from."""
        if self.admin_value is not None:
            return "admin"
        return "model" if self.model_value is not None else "none"


def model_threshold() -> float | None:
    """The active model's routing threshold from its settings file (no model is loaded)."""
    try:
        folder = registry.active_dir(get_settings().model_dir)
        value = registry.read_settings(folder).get("routing_threshold") if folder else None
    except (OSError, ValueError):  # a broken model folder must not take the Admin page down
        log.exception("cannot read the active model's routing threshold")
        return None
    return None if value is None else float(value)


def _threshold(session: Session) -> RoutingThreshold:
    admin, model = admin_threshold(session), model_threshold()
    return RoutingThreshold(admin if admin is not None else model, admin, model)


def routing_threshold(principal: Principal) -> RoutingThreshold:
    with read_session() as session:
        require_admin(session, principal)
        return _threshold(session)


def set_routing_threshold(principal: Principal, value: float | None) -> RoutingThreshold:
    """Set the threshold (a probability above 0, at most 1), or with None go back to the
    model's. Applies to mentions stored from now on; cases already in triage stay there."""
    if value is not None and not 0 < value <= 1:
        raise ServiceError("the routing threshold is a probability above 0 and at most 1", "routing_threshold_range")
    with write_session() as session:
        who = require_admin(session, principal)
        row = session.get(AdminSetting, THRESHOLD_SETTING)
        old = None if row is None else float(row.value)
        if value is None:
            if row is not None:
                session.delete(row)
        else:
            row = row or AdminSetting(name=THRESHOLD_SETTING, value=value)
            row.value, row.updated_by, row.updated_at = value, who.id, utcnow()
            session.add(row)
        if old != value:
            record(session, who, "routing_threshold_changed", THRESHOLD_SETTING, {"value": old}, {"value": value})
        audit.info("routing_threshold by=%s from=%s to=%s", who.username, old, value)
        session.flush()
        return _threshold(session)
