"""What content extraction hands to the figure readers: a page's title, date, canonical URL, prose blocks and
tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Table:
    rows: list[list[str]]
    header_rows: int
    context: str  # the caption and the paragraph before the table: they say which index and year it holds


@dataclass
class Document:
    title: str | None
    published: dt.date | None
    canonical: str | None
    blocks: list[str]
    tables: list[Table] = field(default_factory=list)
    published_source: str | None = None  # meta | label | text: how sure the date is (see content._visible_date)

    @property
    def text(self) -> str:
        return "\n".join(([self.title] if self.title else []) + self.blocks)
