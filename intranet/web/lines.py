"""Editable line items (the lines of a purchase request, an order, a receipt).

A module's form holds ``lines = LinesField(MyLineForm)``; the page shows it with
the ``line_table`` macro (templates/lines/_table.html). Its add, remove and move
buttons post the whole form back with ``line_action``; :func:`edit_lines`
rewrites the posted rows before the form reads them, so what people typed is
kept (even invalid), and the view shows the form again without saving. htmx
swaps only the table; without JavaScript the page reloads, and it works the same.

Money and quantities parse as :class:`~decimal.Decimal` the way people type
them in the company: ``1,234.50``, ``１２３４．５``, ``¥1,234``.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import ValidationError

from ..amounts import parse_decimal
from ..i18n import lazy_gettext as _l

ACTION = "line_action"
_ROW = re.compile(r"^(?P<name>[a-z_]+)-(?P<index>\d{1,4})-(?P<field>.+)$")


class DecimalText(StringField):
    """A money or quantity field: parses like :func:`parse_decimal`, within ``minimum``..``maximum``.

    ``data`` is a Decimal (or None when left empty and not ``required``).
    """

    def __init__(self, label=None, validators=None, *, places: int = 2, minimum: Decimal | None = Decimal(0),
                 maximum: Decimal = Decimal("1e12"), required: bool = True, allow_zero: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places, self.minimum, self.maximum = places, minimum, maximum
        self.required, self.allow_zero = required, allow_zero

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        try:
            self.data = parse_decimal(self.raw, places=self.places)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a number such as 1200 or 1,200.50 (at most %(places)s decimals).",
                                places=self.places)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:f}"

    def pre_validate(self, form):
        if self.data is None:
            if self.required and not self.process_errors:
                raise ValidationError(_l("Required."))
            return
        if self.minimum is not None and (self.data < self.minimum or (self.data == 0 and not self.allow_zero)):
            if self.minimum != 0:
                raise ValidationError(_l("At least %(limit)s.", limit=self.minimum))
            raise ValidationError(_l("Enter 0 or more.") if self.allow_zero else _l("Enter more than 0."))
        if self.data >= self.maximum:
            raise ValidationError(_l("Too large: less than %(limit)s.", limit=f"{self.maximum:,.0f}"))


def MoneyField(label=None, validators=None, **kwargs) -> DecimalText:  # noqa: N802 - a field factory
    """An amount in yuan: two decimals, more than zero unless ``allow_zero``."""
    return DecimalText(label, validators, places=2, **kwargs)


def QuantityField(label=None, validators=None, **kwargs) -> DecimalText:  # noqa: N802 - a field factory
    """A quantity: up to three decimals (kilograms, metres), more than zero."""
    return DecimalText(label, validators, places=kwargs.pop("places", 3), **kwargs)


class LinesField(FieldList):
    """The rows of a line table: ``LinesField(MyLineForm, min_entries=1, max_entries=200)``."""

    def __init__(self, line_form: type[Form], label=None, *, min_entries: int = 1, max_entries: int = 200, **kwargs):
        super().__init__(FormField(line_form), label, min_entries=min_entries, max_entries=max_entries, **kwargs)


def edit_lines(formdata: MultiDict) -> tuple[MultiDict, bool]:
    """Apply the line button that was pressed (``line_action``: ``add:lines``,
    ``remove:lines:2``, ``up:lines:2``, ``down:lines:2``) to posted form data.

    Returns the rewritten data and whether a line button (not save) was pressed.
    Unknown or out-of-range actions change nothing.
    """
    action = formdata.get(ACTION, "")
    if not action:
        return formdata, False
    verb, _, rest = action.partition(":")
    name, _, where = rest.partition(":")
    rows: dict[int, list[tuple[str, str]]] = {}
    kept = MultiDict()
    for key, value in formdata.items(multi=True):
        match = _ROW.match(key)
        if key == ACTION:
            continue
        if match and match["name"] == name:
            rows.setdefault(int(match["index"]), []).append((match["field"], value))
        else:
            kept.add(key, value)
    order = sorted(rows)
    index = int(where) if where.isdigit() else -1
    position = order.index(index) if index in order else -1
    if verb == "add":
        order.append(max(order, default=-1) + 1)
        rows[order[-1]] = []
    elif verb == "remove" and position >= 0:
        order.pop(position)
    elif verb == "up" and position > 0:
        order[position - 1], order[position] = order[position], order[position - 1]
    elif verb == "down" and 0 <= position < len(order) - 1:
        order[position + 1], order[position] = order[position], order[position + 1]
    for new_index, old_index in enumerate(order):
        for field, value in rows.get(old_index, []):
            kept.add(f"{name}-{new_index}-{field}", value)
    if not order or (verb == "add" and not rows[order[-1]]):
        kept.add(f"{name}-{len(order) - 1 if order else 0}-__new", "")
    return kept, True


#: Beyond this a typed value is refused anyway; totals leave it out rather than overflow.
_TOO_LARGE = Decimal("1e15")


def total(rows: Iterable, *factors: str) -> Decimal:
    """The sum over ``rows`` (objects or dicts) of the product of ``factors`` (e.g. quantity, unit_price);
    rows with a missing or absurd factor count as nothing."""
    result = Decimal(0)
    for row in rows:
        values = [row.get(f) if isinstance(row, dict) else getattr(row, f, None) for f in factors]
        if all(isinstance(v, (Decimal, int)) and abs(v) < _TOO_LARGE for v in values):
            product = Decimal(1)
            for value in values:
                product *= value
            result += product
    return result.quantize(Decimal("0.01"))
