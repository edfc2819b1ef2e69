"""Safe persistence, determinism and the tag output."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier import registry
from classifier.model import TRUSTED_TYPES, UntrustedModelError, active_tagger, load_model, load_pipeline
from classifier.train import fit, load_selection
from collectors.tagging import case_tags
from store.cases import CaseTags
from store.vocabulary import CATEGORIES, URGENCIES
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
    assert tag.category in CATEGORIES and tag.urgency in URGENCIES
    assert abs(sum(tag.category_probabilities.values()) - 1) < 1e-3
    assert tag.category_terms and all(isinstance(t, str) for t in tag.category_terms)
    assert tag.urgency == "kritis" and tag.kecamatan_code == "35.10.09" and tag.kecamatan == "Genteng"
    fields = case_tags(tag)
    assert isinstance(fields, CaseTags) and fields.model_version == trained.name
    assert (fields.category, fields.urgency, fields.kecamatan_code) == (tag.category, "kritis", "35.10.09")


def test_no_model_means_no_tagger(tmp_path):
    assert active_tagger(tmp_path) is None


def _copy_version(src, root, name: str) -> None:
    """A model version folder under another name; its model.json says that name."""
    shutil.copytree(src, root / name)
    settings = json.loads((root / name / registry.SETTINGS_FILE).read_text(encoding="utf-8"))
    (root / name / registry.SETTINGS_FILE).write_text(json.dumps({**settings, "version": name}),
                                                     encoding="utf-8")


def test_active_tagger_is_cached_until_activation(trained, tmp_path):
    for name in ("v1", "v2"):
        _copy_version(trained, tmp_path, name)
    registry.activate(tmp_path, "v1")
    first = active_tagger(tmp_path)
    assert first.version == "v1" and active_tagger(tmp_path) is first  # loaded once
    registry.activate(tmp_path, "v2")
    second = active_tagger(tmp_path)
    assert second is not first and second.version == "v2"  # activation replaced it
    assert active_tagger(tmp_path) is second
    registry.activate(tmp_path, "v1")
    assert active_tagger(tmp_path).version == "v1"  # and back again
