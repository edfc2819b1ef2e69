"""Tags new cases on arrival through the classifier, when one is installed and trained.

The classifier is optional at run time: without ``classifier.model`` or without a model,
every case gets ``None`` tags and is stored untagged (needs review), never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from store.cases import CaseTags

log = logging.getLogger(__name__)


def _tagger():
    try:
        from classifier.model import active_tagger
    except ImportError:
        return None
    try:
        return active_tagger()
    except Exception:  # a broken model file must not stop ingestion
        log.exception("classifier could not load its model; storing cases untagged")
        return None


def tag_texts(texts: Sequence[str]) -> list[CaseTags | None]:
    """One CaseTags (or None: untagged) per text, in order."""
    if not texts:
        return []
    tagger = _tagger()
    if tagger is None:
        return [None] * len(texts)
    try:
        tags = [tag.to_case_tags() for tag in tagger.tag(list(texts))]
    except Exception:
        log.exception("classifier failed on a batch of %d texts; storing them untagged", len(texts))
        return [None] * len(texts)
    if len(tags) != len(texts):
        log.error("classifier returned %d tags for %d texts; storing them untagged", len(tags), len(texts))
        return [None] * len(texts)
    return tags
