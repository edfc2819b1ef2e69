"""Tags every new mention on arrival through the classifier (new cases and follow-ups), and
turns each tag into case fields; gives the active model's routing threshold.

Without a trained model (or with one that cannot be loaded), every case gets ``None``
tags and is stored untagged (needs review), never dropped, and nothing is routed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from store.cases import CaseTags
from store.settings import get_settings

if TYPE_CHECKING:
    from classifier.model import Tag

log = logging.getLogger(__name__)


def _tagger():
    # Imported here, not at the top, and only when a model is active: it loads scikit-learn
    # (4 s, 170 MB), which commands that never tag (collect --help, an import without a
    # trained model) should not wait for nor hold.
    from classifier.registry import active_dir
    try:
        if active_dir(get_settings().model_dir) is None:
            return None
        from classifier.model import active_tagger
        return active_tagger(get_settings().model_dir)
    except Exception:  # a broken model file must not stop ingestion
        log.exception("classifier could not load its model; storing cases untagged")
        return None


def case_tags(tag: Tag) -> CaseTags:
    """The case fields a classifier tag fills in."""
    return CaseTags(category=tag.category, urgency=tag.urgency,
                    category_confidence=tag.category_confidence,
                    urgency_confidence=tag.urgency_confidence,
                    model_version=tag.model_version, needs_review=tag.needs_review,
                    kecamatan_code=tag.kecamatan_code, desa=tag.desa,
                    urgency_reason=tag.urgency_reason, topic=tag.topic)


def model_routing_threshold() -> float | None:
    """The routing threshold the active model's card gives (chosen by cross-validation); None
    without a model, or with one trained before routing existed."""
    tagger = _tagger()
    return None if tagger is None else tagger.routing_threshold


def tag_texts(texts: Sequence[str]) -> list[CaseTags | None]:
    """One CaseTags (or None: untagged) per text, in order."""
    if not texts:
        return []
    tagger = _tagger()
    if tagger is None:
        return [None] * len(texts)
    try:
        tags = [case_tags(tag) for tag in tagger.tag(list(texts))]
    except Exception:
        log.exception("classifier failed on a batch of %d texts; storing them untagged", len(texts))
        return [None] * len(texts)
    if len(tags) != len(texts):
        log.error("classifier returned %d tags for %d texts; storing them untagged", len(tags), len(texts))
        return [None] * len(texts)
    return tags
