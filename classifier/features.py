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

import re
from itertools import chain, count, repeat

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.utils import murmurhash3_32
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

CACHE_SIZE = 100_000  # distinct words (~0.5 kB each); the cache is cleared when it is full

# (ngram_range, n_features) → {word: hashed indices of its n-grams}
_caches: dict[tuple, dict[str, tuple[int, ...]]] = {}
NGRAM_CACHE_SIZE = 500_000
SORT_BY_TRANSPOSING = 64  # messages in a batch from which transform() sorts by transposing
_ngram_caches: dict[int, dict[str, int]] = {}  # n_features → {n-gram: hashed index}


def _index(h: int, n_features: int) -> int:
    """sklearn's FeatureHasher: abs(h) % n_features, with abs(-2**31) (undefined in C)
    defined as (2**31 - 1 - (n_features - 1)) % n_features."""
    if h == -2147483648:
        return (2147483647 - (n_features - 1)) % n_features
    return abs(h) % n_features


try:
    from sklearn.feature_extraction._hashing_fast import transform as _hashing_transform
except ImportError:  # pragma: no cover - a sklearn without it: hash in Python
    _hashing_transform = None


def _hash_strings_fast(strings: list[str], n_features: int) -> list[int]:
    """_index(murmurhash3_32(s)) of every string, by the C loop of sklearn's FeatureHasher
    (alternate_sign=False: it hashes the UTF-8 bytes with seed 0 and takes the same index)."""
    if not strings:
        return []
    indices, _, _ = _hashing_transform([zip(strings, repeat(1))], n_features, np.float64,
                                       False, 0)
    return indices.tolist()


_hash_strings = _hash_strings_fast if _hashing_transform is not None else None


def char_wb_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """One word's space-padded n-grams in sklearn's ``_char_wb_ngrams`` order: for each n,
    every window of n characters, or the whole padded word once if it is not longer than
    n (and then no longer n)."""
    min_n, max_n = ngram_range
    w = " " + word + " "
    w_len = len(w)
    out: list[str] = []
    for n in range(min_n, max_n + 1):
        out += [w[k:k + n] for k in range(max(1, w_len - n + 1))]
        if w_len <= n:
            break
    return out


def word_indices(words: list[str], ngram_range: tuple[int, int], n_features: int
                 ) -> list[tuple[int, ...]]:
    """Per word, the hashed indices of its n-grams (MurmurHash3, seed 0, as sklearn hashes
    them); each distinct n-gram is hashed once and remembered."""
    known = _ngram_caches.setdefault(n_features, {})
    min_n, max_n = ngram_range
    padded = [" " + w + " " for w in words]
    # char_wb_ngrams() of every word in one comprehension (the same n-grams, same order).
    per_word = [[w] if len(w) < min_n else
                [w[k:k + n] for n in range(min_n, min(max_n, len(w)) + 1)
                 for k in range(len(w) - n + 1)] for w in padded]
    flat = list(chain.from_iterable(per_word))
    lengths = list(map(len, per_word))
    if _hash_strings is not None:
        # sklearn's FeatureHasher loop (C): UTF-8, MurmurHash3 seed 0, the same index rule.
        found = _hash_strings(flat, n_features)
    else:
        new = list(dict.fromkeys(g for g, i in zip(flat, map(known.get, flat), strict=True)
                                 if i is None))
        if len(known) + len(new) > NGRAM_CACHE_SIZE:
            known.clear()
            new = list(dict.fromkeys(flat))
        known.update(zip(new, map(_index, map(murmurhash3_32, new), repeat(n_features, len(new))),
                         strict=True))
        found = list(map(known.__getitem__, flat))
    out, start = [], 0
    for length in lengths:
        out.append(tuple(found[start:start + length]))
        start += length
    return out


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
        new = [word for word, row in zip(local, rows, strict=True) if row is None]
        if new:
            if len(cache) + len(new) > CACHE_SIZE:
                cache.clear()
            cache.update(zip(new, word_indices(new, ngram_range, n_features), strict=True))
            rows = list(map(cache.__getitem__, local))
        wptr = np.zeros(len(rows) + 1, dtype=np.int32)
        np.cumsum(np.fromiter(map(len, rows), dtype=np.int32, count=len(rows)), out=wptr[1:])
        # A word's repeated n-grams stay separate entries of W; the product adds them up.
        W = sp.csr_matrix((np.ones(wptr[-1]), np.fromiter(chain.from_iterable(rows), dtype=np.int32,
                                                           count=wptr[-1]), wptr),
                          shape=(len(rows), n_features))
        if len(words) < SORT_BY_TRANSPOSING:
            out = sp.csr_matrix(D @ W)
            out.sort_indices()  # canonical CSR, as sklearn's sum_duplicates leaves it
            return out
        # Computed transposed (features × messages), so that turning it back into CSR
        # leaves each row's indices sorted: cheaper than sorting a big batch, dearer for a
        # few messages (it walks all n_features rows).
        out = sp.csr_matrix((W.T.tocsr() @ D.T.tocsr()).T.tocsr())
        out.has_sorted_indices = True
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


class WordTfidf:
    """``vec.transform(docs)`` of a fitted word 1–2-gram TfidfVectorizer, fast: the same
    counts as its per-message Python loop, for the whole batch at once with numpy, then
    its own fitted IDF weights. Any other vectorizer runs its own transform.

    A 2-gram "a b" that occurs in min_df messages has both words occurring in at least as
    many, so (without max_df or max_features pruning) both are in the vocabulary too:
    2-grams are found as pairs of word columns, with no strings built."""

    def __init__(self, vec):
        self.vec = vec
        vocab = getattr(vec, "vocabulary_", None)
        self.fast = (isinstance(vec, TfidfVectorizer) and vocab is not None
                     and vec.analyzer == "word" and vec.input == "content" and not vec.lowercase
                     and vec.preprocessor is None and vec.tokenizer is None
                     and vec.stop_words is None and vec.strip_accents is None and not vec.binary
                     and tuple(vec.ngram_range) in ((1, 1), (1, 2)))
        if not self.fast:
            return
        self.token = re.compile(vec.token_pattern)
        self.n_words = len(vocab)
        pairs = [(gram.split(" "), column) for gram, column in vocab.items() if " " in gram]
        if any(len(words) != 2 or words[0] not in vocab or words[1] not in vocab
               for words, _ in pairs):
            self.fast = False  # pruned vocabulary: a 2-gram needs its words' columns
            return
        keys = np.array([vocab[a] * self.n_words + vocab[b] for (a, b), _ in pairs], dtype=np.int64)
        order = np.argsort(keys)
        self.pair_keys = keys[order]
        self.pair_columns = np.array([c for _, c in pairs], dtype=np.int64)[order]
        self.bigrams = vec.ngram_range[1] == 2 and len(pairs) > 0

    def _tokens(self, docs: list[str]) -> list[list[str]]:
        # On text of only ASCII letters and single spaces (what classifier.text.normalize
        # writes) the token pattern \b\w\w+\b finds exactly the words of two letters or more.
        if self.vec.token_pattern == r"(?u)\b\w\w+\b":
            return [_long_words(d.split(" "))
                    if d.isascii() and d.replace(" ", "").isalpha() else self.token.findall(d)
                    for d in docs]
        return list(map(self.token.findall, docs))

    def transform(self, docs: list[str]):
        if not self.fast:
            return self.vec.transform(docs)
        tokens = self._tokens(docs)
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        flat = list(chain.from_iterable(tokens))
        doc_of = np.repeat(np.arange(len(tokens)), lengths)  # per token, its message
        words = np.fromiter(map(self.vec.vocabulary_.get, flat, repeat(-1)), dtype=np.int64,
                            count=len(flat))
        known = words >= 0
        rows, columns = [doc_of[known]], [words[known]]
        if self.bigrams and len(flat) > 1:
            # Pairs of known words in the same message, looked up among the 2-grams.
            both = known[:-1] & known[1:] & (doc_of[:-1] == doc_of[1:])
            keys = words[:-1][both] * self.n_words + words[1:][both]
            at = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
            hit = self.pair_keys[at] == keys
            rows.append(doc_of[:-1][both][hit])
            columns.append(self.pair_columns[at[hit]])
        rows, columns = np.concatenate(rows), np.concatenate(columns)
        X = sp.csr_matrix((np.ones(len(rows), dtype=self.vec.dtype), (rows, columns)),
                          shape=(len(tokens), self.n_words))
        X.sum_duplicates()
        return tfidf_inplace(self.vec._tfidf, X)


def _long_words(words: list[str]) -> list[str]:
    """The words of two letters or more (the list itself when there is no shorter one)."""
    if min(map(len, words)) > 1:
        return words
    return [w for w in words if len(w) > 1]


def tfidf_inplace(tfidf: TfidfTransformer, X):
    """``tfidf.transform(X)`` for float64 CSR counts that the caller owns (changed in place):
    sklearn 1.9's operations in its order, without its input validation, which costs
    milliseconds per call. Other settings or inputs go through ``tfidf.transform``."""
    if not (isinstance(tfidf, TfidfTransformer) and tfidf.norm in (None, "l2")
            and sp.isspmatrix_csr(X) and X.dtype == np.float64
            and X.shape[1] == getattr(tfidf, "n_features_in_", -1)):
        return tfidf.transform(X)
    if tfidf.sublinear_tf:
        np.log(X.data, X.data)
        X.data += 1.0
    if hasattr(tfidf, "idf_"):
        X.data *= tfidf.idf_[X.indices]
    if tfidf.norm == "l2":
        inplace_csr_row_normalize_l2(X)
    return X
