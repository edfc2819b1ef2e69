"""Safe persistence, determinism and the tag output."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier.model import TRUSTED_TYPES, UntrustedModelError, active_tagger, load_model, load_pipeline
from classifier.taxonomy import CATEGORIES, URGENCY
from classifier.train import fit, load_selection
from store.cases import CaseTags
from tests.classifier.conftest import small_corpus

SAMPLES = ["tolong pak anak sy kejang2 panas tinggi dr sore, puskesmas genteng tutup",
           "jalan berlubang di rogo jampi sudah 3 bulan belum diperbaiki",
           "terima kasih pak bupati, festival gandrung sewu keren",
           "syarat bikin KTP-el apa saja min?"]


def test_skops_round_trip_keeps_predictions(trained, tmp_path):
    tagger = load_model(trained)
    for head, h in tagger.heads.items():
        path = tmp_path / f"{head}.skops"
        sio.dump(h.pipeline, path)
        assert set(sio.get_untrusted_types(file=path)) <= TRUSTED_TYPES
        again = load_pipeline(path)
        np.testing.assert_array_equal(again.predict_proba(SAMPLES), h.pipeline.predict_proba(SAMPLES))


def test_untrusted_type_in_model_file_is_refused(tmp_path):
    evil = Pipeline([("run", FunctionTransformer(func=eval))]).fit([["1"]])
    path = tmp_path / "category.skops"
    sio.dump(evil, path)
    with pytest.raises(UntrustedModelError, match=r"builtins\.eval"):
        load_pipeline(path)


def test_training_is_deterministic():
    examples = small_corpus(step=6)
    chosen = load_selection()["chosen"]
    first, second = fit(examples, chosen), fit(examples, chosen)
    for head in first:
        np.testing.assert_array_equal(first[head].predict_proba(SAMPLES),
                                      second[head].predict_proba(SAMPLES))


def test_tag_has_labels_probabilities_terms_and_place(trained):
    tag = load_model(trained).tag([SAMPLES[0]])[0]
    assert tag.category in CATEGORIES and tag.urgency in URGENCY
    assert abs(sum(tag.category_probabilities.values()) - 1) < 1e-3
    assert tag.category_terms and all(isinstance(t, str) for t in tag.category_terms)
    assert tag.urgency == "kritis" and tag.kecamatan_code == "35.10.09"
    case_tags = tag.to_case_tags()
    assert isinstance(case_tags, CaseTags) and case_tags.model_version == trained.name


def test_no_model_means_no_tagger():
    assert active_tagger() is None  # the autouse fixture points at an empty model folder


def test_active_tagger_is_cached_until_activation(trained):
    assert active_tagger() is active_tagger()
