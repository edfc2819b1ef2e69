"""Hashed character n-grams, fast.

``CharNgramHasher`` computes exactly the matrix of scikit-learn's
``HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**17,
alternate_sign=False, norm=None, lowercase=False)``: for every whitespace-separated word,
padded with one space each side, the n-grams of each length in ``ngram_range`` (a word
shorter than n counts once, as sklearn does), hashed with MurmurHash3 (seed 0, UTF-8 bytes,
absolute value modulo ``n_features``), counted per message.

sklearn builds every n-gram string of every message in Python and hashes it through a
generator; here the hashed indices are computed once per distinct word and kept in a bounded
cache, and the sparse matrix is assembled with numpy. Messages repeat their words a lot, so
after warm-up a message costs a few dictionary look-ups.

The hasher is stateless (no fitted attributes, nothing learnt), so it is saved in the skops
file as its two parameters; the cache lives in this module, not in the saved object.
"""

from __future__ import annotations

from itertools import chain, count

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import murmurhash3_32

CACHE_SIZE = 100_000  # distinct words (~0.5 kB each); the cache is cleared when it is full

# (ngram_range, n_features) → {word: hashed indices of its n-grams}
_caches: dict[tuple, dict[str, tuple[int, ...]]] = {}


def _index(h: int, n_features: int) -> int:
    """sklearn's FeatureHasher: abs(h) % n_features, with abs(-2**31) (undefined in C)
    defined as (2**31 - 1 - (n_features - 1)) % n_features."""
    if h == -2147483648:
        return (2147483647 - (n_features - 1)) % n_features
    return abs(h) % n_features


def word_indices(word: str, ngram_range: tuple[int, int], n_features: int) -> tuple[int, ...]:
    """Hashed indices of one word's space-padded n-grams, in sklearn's ``_char_wb_ngrams`` order."""
    min_n, max_n = ngram_range
    w = " " + word + " "
    w_len = len(w)
    out = []
    for n in range(min_n, max_n + 1):
        offset = 0
        out.append(_index(murmurhash3_32(w[offset:offset + n], seed=0), n_features))
        while offset + n < w_len:
            offset += 1
            out.append(_index(murmurhash3_32(w[offset:offset + n], seed=0), n_features))
        if offset == 0:  # a short word (w_len < n) counts only once
            break
    return tuple(out)


class CharNgramHasher(TransformerMixin, BaseEstimator):
    """Pipeline step: texts → CSR counts of hashed char_wb n-grams (float64, no sign, no norm).
    Same output as the HashingVectorizer named in the module docstring. Stateless."""

    def __init__(self, ngram_range: tuple[int, int] = (2, 5), n_features: int = 2**17):
        self.ngram_range = ngram_range
        self.n_features = n_features

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        if isinstance(X, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        ngram_range = (int(self.ngram_range[0]), int(self.ngram_range[1]))
        n_features = int(self.n_features)
        cache = _caches.setdefault((ngram_range, n_features), {})
        # A message is the sum of its words' n-gram counts: X = D @ W with D the
        # message × distinct-word counts and W the distinct-word × hashed-feature counts.
        # The loops are map() calls, so per word only C code runs.
        words = list(map(str.split, X))
        flat = list(chain.from_iterable(words))
        local = dict(zip(dict.fromkeys(flat), count()))  # distinct words of this batch → column
        indptr = np.zeros(len(words) + 1, dtype=np.int32)
        np.cumsum(np.fromiter(map(len, words), dtype=np.int32, count=len(words)), out=indptr[1:])
        D = sp.csr_matrix((np.ones(len(flat)), np.fromiter(map(local.__getitem__, flat), dtype=np.int32,
                                                           count=len(flat)), indptr),
                          shape=(len(words), len(local)))
        rows = list(map(cache.get, local))
        for i, word in enumerate(local):
            if rows[i] is None:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                rows[i] = cache[word] = word_indices(word, ngram_range, n_features)
        wptr = np.zeros(len(rows) + 1, dtype=np.int32)
        np.cumsum(np.fromiter(map(len, rows), dtype=np.int32, count=len(rows)), out=wptr[1:])
        # A word's repeated n-grams stay separate entries of W; the product adds them up.
        W = sp.csr_matrix((np.ones(wptr[-1]), np.fromiter(chain.from_iterable(rows), dtype=np.int32,
                                                           count=wptr[-1]), wptr),
                          shape=(len(rows), n_features))
        out = sp.csr_matrix(D @ W)
        out.sort_indices()  # canonical CSR, as sklearn's sum_duplicates leaves it
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags
