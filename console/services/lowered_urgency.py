"""A case whose ``kritis`` the classifier's over/negation layer lowered (classifier.context),
and the one-click way back: staff who may re-tag raise it to ``kritis`` again.

The way back is an ordinary re-tag (``cases.retag``): audited in the case's timeline, kept as
feedback for retraining, checked against the version the user last saw. The offer stands
only while nobody has re-tagged the case since it was opened: after a re-tag, a person has
decided and the layer's reason no longer describes the urgency shown.
"""

from __future__ import annotations

from console.services import cases
from console.services.auth import Principal
from console.services.policy import Action
from store.tables import Case
from store.vocabulary import CRITICAL


def lowered_reason(detail: cases.CaseDetail) -> dict | None:
    """The layer's reason ({"id": …, "en": …, …}) when it lowered this case's ``kritis`` and the
    case still carries the lowered urgency; else None."""
    if detail.case.urgency == CRITICAL or any(e.action == "retagged" for e in detail.timeline):
        return None
    opened = next((e for e in detail.timeline if e.action == "opened"), None)
    payload = opened.new_value if opened is not None and isinstance(opened.new_value, dict) else {}
    reason = payload.get("urgency_reason")
    if not isinstance(reason, dict) or reason.get("action") != "lower":
        return None
    return reason


def may_raise_back(detail: cases.CaseDetail) -> bool:
    """The offer is shown: the layer lowered this case and this user may re-tag it."""
    return Action.RETAG in detail.allowed and lowered_reason(detail) is not None


def raise_back(principal: Principal, case_id: int, expected_version: int | None) -> Case:
    """Re-tag the case's urgency to ``kritis`` (category unchanged): audited, and feedback."""
    return cases.retag(principal, case_id, expected_version, category=None, urgency=CRITICAL)
