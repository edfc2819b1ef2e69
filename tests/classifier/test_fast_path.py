"""The fast inference path computes what the scikit-learn pipelines compute."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from classifier import features, rules
from classifier import gazetteer as gz
from classifier.corpus import load_test, load_training
from classifier.features import CharNgramHasher, WordTfidf
from classifier.model import TOP_TERMS, TRUSTED_TYPES, Tagger, load_pipeline
from classifier.pipelines import build
from classifier.rules import HINTS
from classifier.text import normalize
from tests.classifier.conftest import small_corpus

# Texts that exercise the edges: empty, one letter, runs of whitespace, non-ASCII.
ODD_TEXTS = ["", "a", "  x  y\t\tz \n", "ünïcødé ✓ 😭 ąę", "ab abc abcd abcde abcdef"]


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return [ex.text for ex in load_training() + load_test()]


@pytest.fixture(scope="module")
def svc_tagger() -> Tagger:
    """The chosen pipelines (calibrated LinearSVC on words + hashed chars), on a slice."""
    examples = small_corpus(step=3)
    X = [ex.text for ex in examples]
    pipelines = {h: build("svc_calibrated").fit(X, [getattr(ex, h) for ex in examples])
                 for h in ("category", "urgency")}
    return Tagger("test", pipelines, {"kritis_threshold": 0.12, "review_below": 0.5})


def _assert_same_csr(a, b):
    assert a.shape == b.shape and a.dtype == b.dtype
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    assert np.allclose(a.data, b.data, rtol=0, atol=0)


@pytest.mark.parametrize("normalised", [True, False])  # what the pipeline sees; raw text too
def test_char_hasher_equals_hashing_vectorizer_on_the_corpus(corpus_texts, normalised):
    docs = [normalize(t) for t in corpus_texts] if normalised else corpus_texts
    docs = docs + ODD_TEXTS
    sklearn_hasher = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**17,
                                       alternate_sign=False, norm=None, lowercase=False,
                                       dtype=np.float64)
    expected = sklearn_hasher.transform(docs)
    _assert_same_csr(CharNgramHasher().transform(docs), expected)
    _assert_same_csr(CharNgramHasher().transform(docs), expected)  # again, from the cache


def test_char_hasher_handles_an_empty_batch():
    assert CharNgramHasher().transform([]).shape == (0, 2**17)


def test_word_tfidf_equals_the_vectorizer(svc_tagger, corpus_texts):
    docs = [normalize(t) for t in corpus_texts] + ODD_TEXTS
    vectorizer = svc_tagger.heads["category"].steps[0]
    fast = WordTfidf(vectorizer)
    assert fast.fast and fast.bigrams  # the numpy path is used
    _assert_same_csr(fast.transform(docs).tocsr(), vectorizer.transform(docs).tocsr())
    _assert_same_csr(fast.transform(corpus_texts).tocsr(), vectorizer.transform(corpus_texts).tocsr())


@pytest.mark.parametrize("head", ["category", "urgency"])
def test_fast_probabilities_equal_predict_proba_on_the_test_split(svc_tagger, head):
    texts = [ex.text for ex in load_test()] + ODD_TEXTS
    h = svc_tagger.heads[head]
    assert h.fast is not None  # the numpy path is used for the calibrated LinearSVC
    X, _ = h.transform([normalize(t) for t in texts])
    _assert_same_csr(X, h.features.transform([normalize(t) for t in texts]).tocsr())
    np.testing.assert_allclose(h.predict_proba(X), h.pipeline.predict_proba(texts), rtol=0, atol=1e-9)


def _terms_one_row(h, X, row: int, cls: int) -> tuple[str, ...]:
    """terms() as it was written per message before it was vectorised (only the terms staff
    can read: classifier.explain.readable)."""
    from classifier.explain import readable
    start, end = X.indptr[row], X.indptr[row + 1]
    idx, vals = X.indices[start:end], X.data[start:end]
    contrib = vals * h.weights[cls, idx]
    shown = np.array([i < len(h.names) and readable(str(h.names[i])) for i in idx], dtype=bool)
    keep = h.word_mask[idx] & shown & (contrib > 0)
    idx, contrib = idx[keep], contrib[keep]
    order = np.argsort(-contrib, kind="stable")[:TOP_TERMS]
    return tuple(str(h.names[i]) for i in idx[order])


def test_tags_equal_the_pipelines_and_per_message_terms(svc_tagger):
    texts = [ex.text for ex in load_test()][:400] + ODD_TEXTS
    tags = svc_tagger.tag(texts)
    assert [svc_tagger.tag([t])[0] for t in texts[:25]] == tags[:25]  # one by one = batch
    for head in ("category", "urgency"):
        h = svc_tagger.heads[head]
        proba = h.pipeline.predict_proba(texts)
        X = h.features.transform([normalize(t) for t in texts]).tocsr()
        for i, tag in enumerate(tags):
            label = tag.category if head == "category" else tag.model_urgency
            cls = h.classes.index(label)
            if head == "category":
                assert cls == int(np.argmax(proba[i]))
            assert getattr(tag, f"{head}_probabilities") == {
                c: round(float(p), 4) for c, p in zip(h.classes, proba[i], strict=True)}
            assert getattr(tag, f"{head}_terms") == _terms_one_row(h, X, i, cls)


def test_a_model_with_the_char_hasher_loads_with_the_reviewed_types(svc_tagger, tmp_path):
    path = tmp_path / "category.skops"
    pipeline = svc_tagger.heads["category"].pipeline
    sio.dump(pipeline, path)
    assert set(sio.get_untrusted_types(file=path)) <= TRUSTED_TYPES
    texts = [ex.text for ex in load_test()][:50]
    np.testing.assert_array_equal(load_pipeline(path).predict_proba(texts), pipeline.predict_proba(texts))


def test_rules_prefilter_never_hides_a_rule_match(corpus_texts):
    assert HINTS  # derived from every rule's pattern
    texts = [normalize(t) for t in corpus_texts] + [
        "anak saya kejang", "bayi saya panas sangat", "air masuk ke dalam rumahnya",
        "banjir setinggi orang dewasa", "warga terseret arus", "dia mau mati rasanya",
        "sedang dipukuli", "membawanya parang", "kesetrum", "henti napas", "radang selaput otak"]
    for norm in texts:
        if rules._ANY.search(norm):
            assert any(h in norm for h in HINTS), norm


def test_required_literals_reads_sequences_branches_and_repeats():
    def need(p):
        return rules.required_literals(rules.sre_parse.parse(p))
    assert need(r"\bab(?:cde|efg)+") == {"cde", "efg"}  # the longer certain strings win
    assert need(r"x?(?:a|\w)") is None  # optional, or a class in one branch: nothing certain
    assert need(r"(?:tidak )?kejang") == {"kejang"}


def test_gazetteer_prefilter_skips_only_windows_that_cannot_match(corpus_texts, monkeypatch):
    texts = corpus_texts + ODD_TEXTS + ["ds. kemiren, kec glagah", "Tegaldelimo", "di genteng",
                                        "kota  banyuwangi", "ke rogo jampi", "wongsoredjo"]
    fast = [gz.find_place(t) for t in texts]
    # Without the pre-filter every position is tried, as find() did before it had one.
    monkeypatch.setattr(gz.Gazetteer, "_candidates", lambda self, canon: range(len(canon)))
    monkeypatch.setattr(gz.Gazetteer, "_may_vary", lambda self, prefix: True)
    monkeypatch.setattr(gz.Gazetteer, "_may_vary_end", lambda self, suffix: True)
    slow = gz.Gazetteer(gz.json.loads(gz.DATA_FILE.read_text(encoding="utf-8")))
    slow._longest = 10**6
    assert [slow.find(t) for t in texts] == fast


def test_word_indices_hash_the_ngrams_sklearn_makes():
    words = ["a", "ab", "abc", "abcd", "abcdefgh", "ünï"]
    for ngram_range in [(2, 5), (3, 3), (4, 6)]:  # the one we use, one n, longer than words
        expected = [tuple(features._index(murmurhash3_32(g, seed=0), 2**17)
                          for g in features.char_wb_ngrams(w, ngram_range)) for w in words]
        assert features.word_indices(words, ngram_range, 2**17) == expected
        analyzer = HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range).build_analyzer()
        assert [features.char_wb_ngrams(w, ngram_range) for w in words] == [analyzer(w) for w in words]


def test_batch_rules_equal_raise_urgency_on_the_corpus(corpus_texts):
    texts = corpus_texts + ODD_TEXTS + [
        "anak saya kejang", "bayi saya panas sangat", "air masuk ke dalam rumahnya",
        "banjir setinggi orang dewasa", "warga terseret arus", "dia mau mati rasanya",
        "sedang dipukuli", "membawanya parang", "kesetrum", "henti napas", "radang selaput otak",
        "tidak kejang", "simulasi kebakaran", "kemarin pingsan", "korban kebakaran kemarin",
        "kalau banjir masuk rumah", "anak hilang\nkejang"]
    norms = [normalize(t) for t in texts]
    for urgency in ("rendah", "sedang", "tinggi", "kritis"):
        expected = [rules.raise_urgency(urgency, t, n) for t, n in zip(texts, norms, strict=True)]
        assert rules.raise_urgencies([urgency] * len(texts), texts, norms) == expected
    expected = [any(h in n for h in HINTS) for n in norms]
    assert rules.may_match(norms) == expected


def test_round4_equals_python_round():
    from classifier.model import _round4
    rng = np.random.default_rng(0)
    for P in [rng.random((5000, 11)), rng.random((2000, 11)) ** 8, np.round(rng.random((2000, 11)), 4),
              np.round(rng.random((2000, 11)), 5), np.array([[0.0, 1.0, 0.5, 1e-300, 0.00005, 0.99995]])]:
        assert _round4(P) == [[round(p, 4) for p in row] for row in P.tolist()]
