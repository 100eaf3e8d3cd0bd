"""Every pair of alike names among many, by the Jaccard index of their
trigram sets, as PostgreSQL's ``pg_trgm`` computes ``similarity()``.

PostgreSQL answers "which names are alike to this one" through a trigram
index, once per name: on 20,000 names about a millisecond each, mostly spent
in the long lists of the trigrams nearly every name has (" ال", "ات ").
Asked for every pair at once, the question is a product of the names'
trigram matrix with itself: the number of trigrams two names share is one
cell of it. Here the trigrams come from ``show_trgm()`` (so the sets are
``pg_trgm``'s own), and:

- the ``COMMON`` most frequent trigrams are kept out of the sparse product
  as one 64-bit mask per name, whose common trigrams two names share are
  counted by the bits the two masks share; the product of the other, rarer
  trigrams is a fraction of the whole;
- a pair sharing no rare trigram can still be alike when both names are
  made of common trigrams for their most part: those names are compared by
  their masks alone.

The similarity of a pair is computed as ``pg_trgm`` does, in single
precision: shared / (size of one + size of the other - shared)."""

import numpy as np
from scipy import sparse

COMMON = 64
# Rows of the product computed at once: a block's product holds every pair
# of its names with the names sharing a rare trigram with them.
BLOCK = 2000


def _shared_bits(left, right):
    """The number of bits two arrays of 64-bit masks share, element-wise."""
    both = np.bitwise_and(left, right)
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(both).astype(np.int64)
    return np.unpackbits(both.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1).astype(np.int64)


def _alike(shared, size_a, size_b, threshold):
    """Whether pairs sharing ``shared`` trigrams are at least ``threshold``
    alike, in single precision as ``pg_trgm``."""
    return similarity(shared, size_a, size_b) >= np.float32(threshold)


def similarity(shared, size_a, size_b):
    return np.float32(shared) / np.float32(size_a + size_b - shared)


def alike_pairs(trigram_sets, threshold, common=COMMON):
    """The pairs ``(i, j, similarity)``, ``i < j`` indices into
    ``trigram_sets`` (each a list of distinct trigrams), whose trigram sets
    are at least ``threshold`` alike; as three arrays. ``common`` is the
    number of most frequent trigrams counted by masks (at most 64)."""
    count = len(trigram_sets)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    if count < 2:
        return empty
    vocabulary = {}
    columns = [
        vocabulary.setdefault(trigram, len(vocabulary)) for ts in trigram_sets for trigram in ts
    ]
    columns = np.asarray(columns, dtype=np.int64)
    sizes = np.fromiter((len(ts) for ts in trigram_sets), dtype=np.int64, count=count)
    rows = np.repeat(np.arange(count), sizes)
    # Rank the trigrams by how many names have them, the most frequent first.
    frequency = np.bincount(columns, minlength=len(vocabulary))
    rank = np.empty(len(vocabulary), dtype=np.int64)
    rank[np.argsort(-frequency, kind="stable")] = np.arange(len(vocabulary))
    ranks = rank[columns]
    common = min(common, 64)
    is_common = ranks < common
    masks = np.zeros(count, dtype=np.uint64)
    np.bitwise_or.at(
        masks, rows[is_common], np.left_shift(np.uint64(1), ranks[is_common].astype(np.uint64))
    )
    common_sizes = np.bincount(rows[is_common], minlength=count)
    rare = sparse.csr_matrix(
        (
            np.ones(int((~is_common).sum()), dtype=np.float32),
            (rows[~is_common], ranks[~is_common] - common),
        ),
        shape=(count, max(len(vocabulary) - common, 1)),
    )
    rare_transposed = rare.T.tocsr()

    found = []
    for start in range(0, count, BLOCK):
        product = (rare[start : start + BLOCK] @ rare_transposed).tocoo()
        left = product.row.astype(np.int64) + start
        right = product.col.astype(np.int64)
        keep = right > left
        left, right = left[keep], right[keep]
        shared = product.data[keep].astype(np.int64)
        # At most every common trigram of the smaller set shared besides:
        # only the pairs that could reach the threshold count their masks.
        bound = shared + np.minimum(common_sizes[left], common_sizes[right])
        keep = _alike(bound, sizes[left], sizes[right], threshold)
        left, right, shared = left[keep], right[keep], shared[keep]
        shared = shared + _shared_bits(masks[left], masks[right])
        keep = _alike(shared, sizes[left], sizes[right], threshold)
        found.append((left[keep], right[keep], shared[keep]))

    # Pairs sharing common trigrams only: both names mostly common ones.
    # (Sharing c of them, two names are alike only if c is at least
    # ``threshold`` of each one's size.)
    mostly_common = np.flatnonzero((sizes > 0) & (common_sizes >= threshold * sizes - 1e-6))
    for position, left in enumerate(mostly_common[:-1]):
        right = mostly_common[position + 1 :]
        shared = _shared_bits(np.full(len(right), masks[left], dtype=np.uint64), masks[right])
        keep = _alike(shared, sizes[left], sizes[right], threshold)
        found.append((np.full(int(keep.sum()), left, dtype=np.int64), right[keep], shared[keep]))

    if not found:
        return empty
    left, right, shared = (np.concatenate(parts) for parts in zip(*found, strict=True))
    # A pair of mostly common names sharing a rare trigram was found twice,
    # with the same count.
    _pairs, first = np.unique(left * count + right, return_index=True)
    left, right, shared = left[first], right[first], shared[first]
    return left, right, similarity(shared, sizes[left], sizes[right])
