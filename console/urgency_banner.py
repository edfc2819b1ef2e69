"""Detail Kasus, the lowered-urgency banner: why the classifier lowered a ``kritis`` ("menurunkan:
kejadian sudah selesai — 'sudah dibawa ke rumah sakit'") and one button that raises it back
(console/services/lowered_urgency.py). Called from console/case.py in one line."""

import streamlit as st

from console.i18n import current_language, t
from console.services import cases, lowered_urgency


def show(principal, detail: cases.CaseDetail, seen: int, change_case) -> None:
    """Nothing unless the layer lowered this case's kritis; the button only for who may re-tag."""
    reason = lowered_urgency.lowered_reason(detail)
    if reason is None:
        return
    # The reason quotes the citizen's (normalised) words: plain text, never markdown.
    st.text(t("case.lowered", reason=reason.get(current_language()) or reason.get("id", "")))
    if lowered_urgency.may_raise_back(detail) and st.button(
            t("case.raise_back"), key=f"case_raise_back_{detail.case.id}", icon=":material/priority_high:"):
        case_id = detail.case.id
        change_case(case_id, lambda: lowered_urgency.raise_back(principal, case_id, seen),
                    t("case.raised_back"))
