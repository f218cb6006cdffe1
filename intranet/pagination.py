"""One page of a list query: every list in the intranet goes through here."""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

MAX_PER_PAGE = 200


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    has_next: bool
    total: int | None = None

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))


def clamp(page: Any, per_page: Any, default_per_page: int = 25) -> tuple[int, int]:
    """Turn request arguments into a sane (page, per_page); never raises."""
    def to_int(value, fallback):
        try:
            return int(value)
        except (TypeError, ValueError):
            return fallback
    number = min(max(to_int(page, 1), 1), 100_000)
    size = min(max(to_int(per_page, default_per_page), 1), MAX_PER_PAGE)
    return number, size


def paginate(session: Session, query: Select, *, page: int, per_page: int, count: bool = False,
             scalars: bool = True) -> Page:
    """Fetch one page (one row more tells whether another page follows).

    ``count`` adds the total (one more query); leave it off on lists that can
    grow to millions of rows.
    """
    result = session.execute(query.limit(per_page + 1).offset((page - 1) * per_page))
    rows = list(result.scalars() if scalars else result)
    total = None
    if count:
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return Page(items=rows[:per_page], number=page, per_page=per_page,
                has_next=len(rows) > per_page, total=total)


def count_up_to(query: Select) -> Select:
    """A count of ``query``'s rows that stops at the ``limit`` parameter, for badges:
    its cost does not grow with the list. Build it once; pass ``limit`` when running it."""
    return select(func.count()).select_from(query.limit(bindparam("limit")).subquery())


def count_each_up_to(session: Session, queries: Sequence[Select], params: Mapping[str, Any], limit: int) -> list[int]:
    """How many rows each of ``queries`` returns, each counted no further than ``limit``,
    in one statement: every page shows the menu's badges, and one round trip for all of
    them keeps a page's statements fixed however many modules count something.

    ``params`` fill the queries' bind parameters, which they therefore share.
    """
    if not queries:
        return []
    row = session.connection().execute(_counts_of(tuple(queries)), {**params, "limit": limit}).one()
    return [count or 0 for count in row]


@functools.lru_cache(maxsize=256)
def _counts_of(queries: tuple[Select, ...]) -> Select:
    # Badge queries are built once, so the same tuple comes back on every page,
    # and building the statement costs more than running it.
    return select(*(count_up_to(query).scalar_subquery() for query in queries))
