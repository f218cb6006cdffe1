"""Lists: one declaration gives the query, the page, the htmx rows and the export.

A module declares a :class:`ListView` (model, columns, filters, sorts, search,
scope) and its view returns ``LIST.render("module/list.html")``; the page
template includes ``lists/_table.html`` for the rows and
``lists/_toolbar.html`` for the filters. ``LIST.export(fmt)`` writes exactly
the columns shown as CSV or Excel.

Lists never count their total (a count of a growing table costs more than the
page); each declared sort reads in index order within each way a person sees
rows (their own, each of their departments, what they approve), and the page
is cut from the union of those short reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Iterable, Mapping

from babel.numbers import format_decimal
from flask import request, url_for
from flask_babel import get_locale
from sqlalchemy import Date, Select, false, or_, select, true, union_all
from sqlalchemy.orm import selectinload

from ..db import contains, db
from ..i18n import lazy_gettext as _l
from ..pagination import Page, clamp, paginate
from .context import calendar, org_chart, settings, signed_in_user
from .export import export_response
from .fields import Field, export_value, label_for, present
from .filters import local_date, local_datetime, money
from .rendering import render

EXPORT_LIMIT = 50_000
#: Past this many departments a person's scope is read as one IN list instead of one read each.
MAX_BRANCHES = 30
FILTER_KINDS = ("choice", "mine", "bool", "date")


@dataclass(frozen=True)
class Filter:
    """A filter of a list, shown in its toolbar.

    :param kind: ``choice`` (``column`` equals one of ``choices``), ``mine`` (``column`` is
        the signed-in user), ``bool`` (``column`` is true), ``date`` (``column`` from/to, in
        the company's time zone; query arguments ``<key>_from`` and ``<key>_to``).
    :param choices: (value, label) pairs, or a callable giving them (settings, statuses).
    :param clause: ``(value, user) -> condition`` for a filter that is not a column test.
    """

    key: str
    label: Any
    column: str | None = None
    kind: str = "choice"
    choices: Iterable[tuple[str, Any]] | Callable[[], Iterable[tuple[str, Any]]] | None = None
    clause: Callable[[Any, Any], Any] | None = None

    def __post_init__(self):
        if self.kind not in FILTER_KINDS:
            raise ValueError(f"filter {self.key}: unknown kind {self.kind!r}")

    def options(self) -> list[tuple[str, Any]]:
        found = self.choices() if callable(self.choices) else self.choices
        return [(str(value), label) for value, label in (found or ())]


@dataclass(frozen=True)
class Sort:
    """An order people may choose; ties are broken by id in the same direction."""

    key: str
    label: Any
    column: str


NEWEST = Sort("created", _l("Newest"), "created_at")


@dataclass(frozen=True)
class ListParams:
    """A list's query arguments, cleaned: never raises, whatever was typed."""

    q: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    sort: str = "created"
    descending: bool = True
    page: int = 1
    per_page: int = 25

    def args(self, **changes) -> dict:
        """The query arguments of this list state with ``changes`` (for links)."""
        args = {k: v for k, v in self.values.items() if v}
        if self.q:
            args["q"] = self.q
        args.update(sort=self.sort, dir="desc" if self.descending else "asc")
        args.update({k: v for k, v in changes.items()})
        return {k: v for k, v in args.items() if v not in (None, "")}


class ListView:
    """A list of records, declared once.

    :param key: names the list (export file, element ids), e.g. ``general.requests``.
    :param model: the model listed, or a document type (:class:`intranet.documents.DocumentType`),
        which then also gives the scope, the statuses, the labels and the link to its page.
    :param columns: :class:`intranet.web.fields.Field` s, shown and exported in this order.
    :param filters: :class:`Filter` s; ``sorts``: :class:`Sort` s, the first is the default.
    :param search: column names searched for the ``q`` argument ("contains", escaped).
    :param scope: an :class:`intranet.documents.Scope` (who sees which rows), or None for
        lists everyone who may open the page sees whole.
    :param statuses: the records' :class:`intranet.documents.StatusSet` (status pills, filters).
    :param link: ``record -> url`` of the first column.
    :param options: loader options for the rows (related records are loaded for person
        and dotted columns without asking).
    :param selectable: rows get a checkbox for printing the selected ones (a document type
        with a printed form prints them), ``print_key`` the printed form to use otherwise.
    :param export: the view's endpoint that answers ``export(fmt)`` (buttons for CSV and Excel).
    """

    def __init__(self, key: str, model, columns: Iterable[Field], *, filters: Iterable[Filter] = (),
                 sorts: Iterable[Sort] = (NEWEST,), search: Iterable[str] = (), scope=None, statuses=None,
                 link: Callable[[Any], str] | None = None, options: Iterable = (), selectable: bool = False,
                 print_key: str = "", export: str = ""):
        kind = model if hasattr(model, "model") and hasattr(model, "statuses") else None
        if kind is not None:
            model = kind.model
            scope = scope if scope is not None else kind.scope
            statuses = statuses if statuses is not None else kind.statuses
            link = link or (lambda record: url_for(kind.endpoint, document_id=record.id))
            print_key = print_key or (kind.key if kind.printing else "")
        self.print_key, self.export_endpoint = (print_key if selectable else ""), export
        self.key, self.model = key, model
        label = kind.field_label if kind is not None else (lambda name: label_for(model, name))
        self.columns = tuple(c if c.label is not None else Field(**{**c.__dict__, "label": label(c.key)})
                             for c in columns)
        self.filters, self.sorts = tuple(filters), tuple(sorts)
        self.search, self.scope, self.statuses = tuple(search), scope, statuses
        self.link = link
        relations = {c.relation for c in self.columns if c.relation}
        self.options = (*(selectinload(getattr(model, r)) for r in sorted(relations)), *options)

    @property
    def element_id(self) -> str:
        return "list-" + self.key.replace(".", "-").replace("_", "-")

    # -- the request's arguments -------------------------------------------------
    def params(self, args: Mapping[str, str] | None = None) -> ListParams:
        args = request.args if args is None else args
        sorts = {s.key for s in self.sorts}
        sort = args.get("sort", "")
        number, per_page = clamp(args.get("page"), args.get("per_page"), settings()["core.page_size"])
        values = {}
        for flt in self.filters:
            if flt.kind == "date":
                for end in ("from", "to"):
                    values[f"{flt.key}_{end}"] = (args.get(f"{flt.key}_{end}") or "")[:10]
            else:
                values[flt.key] = (args.get(flt.key) or "")[:60]
        return ListParams(q=(args.get("q") or "").strip()[:60], values=values,
                          sort=sort if sort in sorts else self.sorts[0].key,
                          descending=args.get("dir") != "asc", page=number, per_page=per_page)

    # -- the query ---------------------------------------------------------------
    def conditions(self, params: ListParams, user) -> list:
        model, found = self.model, []
        for flt in self.filters:
            found += self._filter(flt, params, user)
        if params.q and self.search:
            found.append(contains(getattr(model, self.search[0]), params.q) if len(self.search) == 1 else
                         or_(*(contains(getattr(model, name), params.q) for name in self.search)))
        return found

    def _filter(self, flt: Filter, params: ListParams, user) -> list:
        column = getattr(self.model, flt.column or flt.key, None)
        if flt.kind == "date":
            bounds = []
            start, end = _day(params.values.get(f"{flt.key}_from")), _day(params.values.get(f"{flt.key}_to"))
            tz = calendar().tz
            if start:
                bounds.append(column >= _moment(start, tz, column))
            if end:
                bounds.append(column < _moment(end + timedelta(days=1), tz, column))
            return bounds
        value = params.values.get(flt.key, "")
        if not value:
            return []
        if flt.clause is not None:
            return [flt.clause(value, user)]
        if flt.kind == "mine":
            return [column == user.id]
        if flt.kind == "bool":
            return [column.is_(True)]
        allowed = {v for v, _label in flt.options()}
        return [column == value] if value in allowed else [false()]

    def _order(self, params: ListParams) -> list:
        sort = next(s for s in self.sorts if s.key == params.sort)
        columns = (getattr(self.model, sort.column), self.model.id)
        return [c.desc() if params.descending else c.asc() for c in columns]

    def query(self, params: ListParams, user) -> Select:
        """The rows ``user`` may see that match ``params``, in order (no paging)."""
        base = select(self.model).options(*self.options)
        return base.where(self._visible(user), *self.conditions(params, user)).order_by(*self._order(params))

    def _visible(self, user):
        if self.scope is None:
            return true()
        return self.scope.clause(user, org_chart(), self.model)

    def page_query(self, params: ListParams, user) -> Select:
        """:meth:`query`, read branch by branch when the person sees rows several ways."""
        scope, model = self.scope, self.model
        if scope is None or (scope.widen and user.can(scope.widen)):
            return self.query(params, user)
        branches = scope.branches(user, org_chart(), model, split=True)
        if len(branches) <= 1 or len(branches) > MAX_BRANCHES:
            return self.query(params, user)
        order, wanted = self._order(params), params.page * params.per_page + 1
        restrictions = [*scope.restrictions(user, model), *self.conditions(params, user)]
        reads = [select(model.id).where(branch, *restrictions).order_by(*order).limit(wanted).subquery()
                 for branch in branches]
        ids = union_all(*(select(read.c.id) for read in reads)).subquery()
        return (select(model).options(*self.options).where(model.id.in_(select(ids.c.id)))
                .order_by(*order))

    # -- answers -------------------------------------------------------------------
    def page(self, params: ListParams | None = None, user=None) -> "Listing":
        params = params or self.params()
        user = user or signed_in_user()
        rows = paginate(db.session, self.page_query(params, user), page=params.page, per_page=params.per_page)
        return Listing(self, rows, params)

    def render(self, template: str, *, status: int = 200, **context):
        """The list page, or only its rows when htmx asks (filters, sorting, paging)."""
        listing = self.page()
        return render(template, "lists/_table.html", listing=listing, status=status, **context)

    def find(self, text: str, user, limit: int) -> list:
        """Records ``user`` may see whose search columns contain ``text``, newest first
        (what the global search box shows of this list)."""
        params = ListParams(q=text[:60], sort=self.sorts[0].key, per_page=limit)
        return list(db.session.scalars(self.page_query(params, user).limit(limit)))

    def export(self, fmt: str, *, module: str | None = None):
        """The rows matching the request's filters as ``csv`` or ``xlsx``, exactly the columns shown."""
        user, params = signed_in_user(), self.params()
        moment, org = (lambda value: calendar().local(value).replace(tzinfo=None)), org_chart()
        records = db.session.scalars(self.query(params, user).limit(EXPORT_LIMIT))
        rows = ([export_value(c, record, statuses=self.statuses, org=org, moment=moment) for c in self.columns]
                for record in records)
        return export_response(self.key.replace(".", "-"), [str(c.label) for c in self.columns], rows, fmt,
                               module=module or self.key.split(".", 1)[0])


@dataclass
class Listing:
    """One page of a list as the templates get it."""

    view: ListView
    page: Page
    params: ListParams

    def cells(self, record) -> list[tuple[Field, Any, Any]]:
        """(field, shown text, stored value) of each column of a row."""
        org = org_chart()
        return [(c, present(c, record, statuses=self.view.statuses, org=org, money=money, quantity=_number,
                            number=_number, day=local_date, moment=local_datetime), c.read(record))
                for c in self.view.columns]

    def tone(self, value) -> str:
        status = self.view.statuses.get(value) if self.view.statuses is not None else None
        return status.tone if status else ""

    def sort_args(self, sort: Sort) -> dict:
        same = self.params.sort == sort.key
        return self.params.args(sort=sort.key, dir="asc" if same and self.params.descending else "desc", page=None)


def _number(value) -> str:
    return format_decimal(value, locale=get_locale())


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _moment(day: date, tz, column):
    """The start of ``day`` as the column compares it: a date, or the UTC moment the day starts."""
    if isinstance(column.type, Date):
        return day
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(timezone.utc)
