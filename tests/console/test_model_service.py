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
