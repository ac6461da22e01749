"""paretl: Vietnamese provincial news -> a queryable history of governance rankings."""

import os

# Arrow's default allocator (mimalloc) keeps a heap per thread and holds on to what each thread freed: with a staging
# writer thread per source, a 10,000-page crawl peaked at 385 MB and the stages after it started higher; with the
# system allocator, whose freed memory metrics.trim() hands back between stages, 285 MB. Arrow reads the setting
# once, when it is first loaded, so it is set here, before any module of the package imports pyarrow
# (pyarrow.set_memory_pool later does not reach the Parquet writer). An operator's own setting wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
