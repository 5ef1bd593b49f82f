"""Bounds on the text caches of a process that serves matches.

The normalisers of brand texts (`anice.text.brand`, the Burmese and Khmer romanisers, the
phonetic key) keep LRU caches of up to 262,144 entries: building an index runs them over
every mark of the registry, where repeats are frequent. A web or RQ worker that only answers
matches fills them with the keys of the candidates it scores, a few thousand per query, and
would keep up to a few hundred MiB of them, private to each process (issue 20: a further
worker must cost < 50 MiB). After each match the shared matcher calls `trim`, which empties
a cache that grew past `SERVING_ENTRIES`: a query still reuses what it computed itself, and a
worker's caches stay under about 8 MiB.
"""

from __future__ import annotations

from ...text import brand, burmese, khmer
from . import measures

SERVING_ENTRIES = 4096

CACHES = (brand.tokens, brand.skeleton, brand.loose, brand.consonants,
          brand.weighted_variants, measures.phonetic, burmese.romanise_word,
          khmer.romanise_word)


def entries() -> int:
    """How many entries the caches hold now."""
    return sum(cached.cache_info().currsize for cached in CACHES)


def trim(limit: int | None = None) -> int:
    """Empty every cache holding more than ``limit`` (default `SERVING_ENTRIES`) entries;
    how many were emptied."""
    limit = SERVING_ENTRIES if limit is None else limit
    emptied = 0
    for cached in CACHES:
        if cached.cache_info().currsize > limit:
            cached.cache_clear()
            emptied += 1
    return emptied
