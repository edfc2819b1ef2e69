"""Staff re-tags become training examples for `tanggap train --with-feedback`."""

from __future__ import annotations

from classifier.corpus import Example
from console.services.model import feedback_examples
from store.db import write_session
from store.tables import TagFeedback


def test_staff_retags_become_examples_the_latest_retag_of_a_text_winning(db, make_case):
    case = make_case("lampu jalan mati")
    with write_session() as s:
        s.add(TagFeedback(case_id=case.id, text="Lampu  jalan mati", category="lainnya", urgency="rendah"))
        s.add(TagFeedback(case_id=case.id, text="lampu jalan MATI", category="infrastruktur", urgency="sedang"))
        s.add(TagFeedback(case_id=case.id, text="anak demam", category="kesehatan", urgency="tinggi"))
        # An id no longer in the vocabulary (a renamed category) is left out, not trained on.
        s.add(TagFeedback(case_id=case.id, text="jalan berlubang", category="jalan", urgency="sedang"))
    assert feedback_examples() == [Example("lampu jalan MATI", "infrastruktur", "sedang"),
                                   Example("anak demam", "kesehatan", "tinggi")]


def test_imported_history_is_ordered_by_when_it_was_written_and_keeps_category_only_rows(db):
    from datetime import UTC, datetime

    from store.feedback import LabelledRow, store_rows
    older, newer = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC)
    with write_session() as s:
        store_rows(s, [LabelledRow("pohon mahoni miring mau roboh", "lingkungan", None, "aduan 2025", message_at=newer),
                       LabelledRow("data MBR belum masuk", "kemiskinan", "sedang", "aduan 2025", message_at=older)])
        s.add(TagFeedback(text="anak demam", category="kesehatan", urgency="tinggi"))  # a re-tag made now
    assert feedback_examples() == [Example("data MBR belum masuk", "kemiskinan", "sedang"),
                                   Example("pohon mahoni miring mau roboh", "lingkungan", None),
                                   Example("anak demam", "kesehatan", "tinggi")]
