"""Where a run's time and memory go: wall seconds, pages/s and peak resident memory (RSS) of each stage.

Peak RSS is the process's high-water mark (VmHWM), reset at the start of each stage (Linux: /proc/self/clear_refs),
so each stage reports its own peak, not the run's so far. Work done in other processes (extraction workers, Dask
workers) is reported by those processes and merged in as `workers_peak_rss_mb`. Elsewhere than Linux the figures
are the process's peak so far (resource.getrusage).
"""

from __future__ import annotations

import contextlib
import resource
import sys
import time
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR = Path("/proc/self/clear_refs")


def peak_rss_mb() -> float:
    """The process's peak resident memory since start or the last reset_peak(), in MB."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(ru / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def rss_mb() -> float:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return peak_rss_mb()


def reset_peak() -> None:
    """Start a new high-water mark (writing 5 to clear_refs resets VmHWM to the current RSS)."""
    try:
        _CLEAR.write_text("5")
    except OSError:
        pass


def trim() -> None:
    """Hand the memory the allocators hold but no longer use back to the system (Arrow's pool, glibc's heap): after
    the crawl, what its bodies and staging parts used would otherwise stay resident through the stages after it."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()  # Arrow's own allocator keeps freed pages too (staging parts)
    except (ImportError, AttributeError):
        pass
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class Stage:
    """Measures one stage: `with Stage("crawl") as st: ...; st.pages = n` then `st.figures()`."""

    def __init__(self, name: str):
        self.name = name
        self.pages = 0
        self.seconds = 0.0
        self.peak = 0.0
        self.workers_peak = 0.0

    def __enter__(self):
        trim()  # what earlier stages freed leaves memory first: each stage's peak is its own, over a lean start
        reset_peak()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        self.peak = peak_rss_mb()

    def figures(self) -> dict:
        return figures(self.seconds, self.pages, self.peak, self.workers_peak)


def figures(seconds: float, pages: int, peak_mb: float, workers_peak_mb: float = 0.0) -> dict:
    out = {"seconds": round(seconds, 3), "pages": pages,
           "pages_per_s": round(pages / seconds, 1) if seconds > 0 and pages else 0.0,
           "peak_rss_mb": peak_mb}
    if workers_peak_mb:
        out["workers_peak_rss_mb"] = workers_peak_mb
    return out


@contextlib.contextmanager
def measured(name: str, into: dict):
    """`with measured("land", stages) as st:` records st.figures() in stages[name] on the way out."""
    st = Stage(name)
    with st:
        yield st
    into[name] = st.figures()


def format_table(stages: dict) -> list[str]:
    """The run summary's lines: one per stage."""
    lines = []
    for name, f in stages.items():
        rate = f" {f['pages_per_s']:8.1f} pages/s" if f.get("pages") else " " * 17
        workers = f" (workers {f['workers_peak_rss_mb']:.0f} MB)" if f.get("workers_peak_rss_mb") else ""
        note = f"  {f['note']}" if f.get("note") else ""
        lines.append(f"  {name:8} {f['seconds']:7.2f} s {f.get('pages', 0):7d} pages{rate}  "
                     f"peak RSS {f['peak_rss_mb']:6.0f} MB{workers}{note}")
    return lines
