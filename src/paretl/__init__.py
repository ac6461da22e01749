"""paretl: Vietnamese provincial news -> a queryable history of governance rankings."""

import os

# Arrow's default allocator (mimalloc) keeps a heap per thread and holds on to what each thread freed: with a staging
# writer thread per source, a 10,000-page crawl peaked at 385 MB and the stages after it started higher; with the
# system allocator, whose freed memory metrics.trim() hands back between stages, 285 MB. Arrow reads the setting
# once, when it is first loaded, so it is set here, before any module of the package imports pyarrow
# (pyarrow.set_memory_pool later does not reach the Parquet writer). An operator's own setting wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def _tune_malloc() -> None:
    """glibc's malloc, which Arrow (above), DuckDB and Python's larger objects share: at most two arenas, and blocks
    of 128 KB or more mapped on their own. By default every thread that allocates (the crawl's event loop, the
    staging writers, DuckDB's threads, Prefect's) may get an arena of its own, and a freed big block raises the
    mapping threshold up to 32 MB, so Arrow's and DuckDB's buffers of a few MB came from those arenas and stayed,
    in pieces, after they were freed: each stage after the crawl started higher, the more pages the run had.
    Measured on bench_scale at 10,000 pages: every stage after the crawl peaked 8-14 MB lower (job 278 -> 272 MB,
    land 278 -> 269, build 273 -> 259), the same facts. The MALLOC_ARENA_MAX / MALLOC_MMAP_THRESHOLD_ environment
    variables, when an operator sets them, win (glibc reads them at start); elsewhere than glibc nothing is done."""
    import ctypes
    import sys

    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_mmap_threshold, m_arena_max = -3, -8  # malloc.h
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        mallopt(m_mmap_threshold, 128 * 1024)
    if "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(m_arena_max, 2)


_tune_malloc()
