"""Page bodies as paretl stores them: compressed once, where they are staged, and read back through page_body().

Why paretl compresses bodies itself rather than leaving it to DuckDB: DuckDB compresses a table's columns a row
group at a time, holding 2,048 values of a column in memory while it does; with ~100 KB pages that is ~200 MB per
batch of bodies, and landing a big crawl peaked near 800 MB (more for bigger pages). A news page is mostly chrome
(menus, sidebars, inline scripts) that zstd packs ~10 to 1 (~3 to 1 for bare article pages), so a body compressed
here is a tenth of the memory and of the bytes DuckDB moves, and it is compressed once, in the crawl's staging
thread (off the crawl's event loop and off the single writer), not again at every checkpoint.

The stored form is a standard zstd frame (RFC 8878, with the content size in its header): any zstd decoder gives
back the bytes as served (`zstd -d`, Python 3.14's compression.zstd, the zstandard package), as does pyarrow
with the original size (`pyarrow.decompress(body, body_size, codec="zstd")`) or paretl's page_body(). The
codec travels with the body (raw.pages.body_codec): 'identity' (the bytes as served, as every row landed before
compression was: old warehouses keep working unchanged) or 'zstd'. sha256 is always that of the bytes as served.
"""

from __future__ import annotations

import pyarrow as pa

from paretl.errors import ParetlError

IDENTITY = "identity"  # the body holds the bytes as served
ZSTD = "zstd"          # the body is one zstd frame of them
CODEC = ZSTD           # what new bodies are stored as
# Level 3 (zstd's default): ~1 GB/s on the benchmark's 100 KB pages, ~10x; higher levels gain little on HTML for
# several times the CPU (level 6: 11x at a quarter of the speed).
LEVEL = 3

_zstd = pa.Codec(ZSTD, compression_level=LEVEL)


class BodyError(ParetlError):
    """A stored body that cannot be given back exactly as served (unknown codec, corrupt or truncated data)."""


def pack(data: bytes) -> tuple[bytes, str, int]:
    """(stored body, codec, size of the bytes as served) for a page body as fetched."""
    return _zstd.compress(data, asbytes=True), CODEC, len(data)


def page_body(body: bytes | None, codec: str | None, size: int | None = None) -> bytes:
    """The bytes as served, from a stored body (raw.pages or a staged part), its codec and original size: every
    reader of stored bodies goes through here."""
    if body is None:
        raise BodyError("no body")
    if codec == IDENTITY:
        return body
    if codec == ZSTD:
        if size is None or size < 0:
            raise BodyError("a zstd body needs its original size (body_size)")
        try:
            # pyarrow checks the frame: a body that does not decode to exactly `size` bytes is an error
            return _zstd.decompress(body, decompressed_size=size, asbytes=True)
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise BodyError(f"zstd body of {len(body)} bytes does not decode to {size} bytes: {exc}") from None
    raise BodyError(f"unknown body codec {codec!r} (known: {IDENTITY}, {ZSTD})")


COLUMNS = ("body", "body_codec", "body_size")


def columns_of(names) -> list[str]:
    """The body columns a table or Parquet file has: parts staged before paretl compressed bodies (and a
    warehouse's export of them) have `body` alone, which holds the bytes as served."""
    return [c for c in COLUMNS if c in names]


def read_column(table: pa.Table) -> list[bytes]:
    """The bytes as served of every row of a table with a body column (and its codec and size, where it has them)."""
    n = table.num_rows
    stored = table.column("body").to_pylist()
    codecs = table.column("body_codec").to_pylist() if "body_codec" in table.column_names else [IDENTITY] * n
    sizes = table.column("body_size").to_pylist() if "body_size" in table.column_names else [None] * n
    return [page_body(b, c, s) for b, c, s in zip(stored, codecs, sizes)]
