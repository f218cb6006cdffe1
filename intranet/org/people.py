"""Finding colleagues 同事 for the person picker 选人: by name, pinyin, initials or employee number.

No Flask here: the picker's fragment, its form fields and the tests call these directly.
"""
from __future__ import annotations

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session, joinedload

from ..db import like_pattern
from .models import User, pinyin_keys

#: The longest text a picker searches for; longer input is cut, never refused.
QUERY_LENGTH = 50

__all__ = ["find_people", "normalise_query", "pinyin_keys", "resolve_people"]


def normalise_query(text: str | None) -> str:
    return "".join((text or "").split())[:QUERY_LENGTH]


def _starts(column, text: str):
    """``column LIKE 'text%'`` with the whole pattern bound as one value: SQLite walks an index
    only for that (SQLAlchemy's ``startswith`` sends ``:text || '%'``)."""
    return column.like(like_pattern(text)[1:], escape="\\")


def find_people(session: Session, text: str | None, *, limit: int) -> list[User]:
    """Active colleagues matching ``text``, exact matches first, then in pinyin order; at most ``limit``.

    A match is the start of the full pinyin or of the initials ("zhangw", "zw" find 张伟), the
    start of the name (张伟, 张: read through the pinyin index, then checked on the name), or the
    whole employee number or user name. Every branch is an index lookup, so the statement stays
    fast however many people the company has; the department comes from the org chart.
    """
    text = normalise_query(text)
    if not text:
        return []
    key = text.lower()
    branches = [_starts(User.pinyin, key), _starts(User.initials, key),
                User.employee_no.in_({text, text.upper()}), User.username == key]
    spelled = pinyin_keys(text)[0]
    if not text.isascii() and spelled:
        branches.append(_starts(User.pinyin, spelled) & _starts(User.name, text))
    exact = case((or_(User.employee_no.in_({text, text.upper()}), User.name == text, User.initials == key), 0),
                 else_=1)
    return list(session.scalars(select(User).where(User.active, or_(*branches))
                                .order_by(exact, User.pinyin, User.id).limit(limit)))


def resolve_people(session: Session, numbers: list[str], typed: str, *,
                   active_only: bool) -> tuple[list[User], tuple[str, str] | None]:
    """The colleagues behind chosen employee numbers and a text typed without picking.

    Returns (people in the order given, None or the problem: ("unknown" or "ambiguous", the text)).
    Typed text must name one person
    exactly (employee number, user name or full name): a picker never guesses who was meant.
    One statement for all of them.
    """
    numbers = [number.strip() for number in numbers if number and number.strip()]
    typed = (typed or "").strip()[:QUERY_LENGTH]
    if not numbers and not typed:
        return [], None
    conditions = [User.employee_no.in_(numbers)] if numbers else []
    if typed:
        conditions += [User.employee_no == typed, User.username == typed, User.name == typed]
    query = select(User).options(joinedload(User.department)).where(or_(*conditions))
    if active_only:
        query = query.where(User.active)
    found = list(session.scalars(query.order_by(User.id)))
    by_number = {user.employee_no: user for user in found}
    people = [by_number[number] for number in dict.fromkeys(numbers) if number in by_number]
    missing = [number for number in numbers if number not in by_number]
    if missing:
        return people, ("unknown", missing[0][:QUERY_LENGTH])
    if typed:
        meant = [user for user in found if typed in (user.employee_no, user.username, user.name)]
        if len(meant) != 1:
            return people, ("ambiguous" if meant else "unknown", typed)
        people.append(meant[0])
    return people, None
