"""How one value of a record is shown: in a list, an export, an inbox summary or on paper.

A module declares a :class:`Field` once (key, label, format) and every place
that shows the value formats it the same way for its medium.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Mapping

from ..i18n import gettext
from ..i18n import lazy_gettext as _l

#: The core's vocabulary: labels of the columns many records have, which modules do not translate again.
VOCABULARY = {"number": _l("Number"), "status": _l("Status"), "requester": _l("Requester"),
                 "requester_id": _l("Requester"), "department": _l("Department"),
                 "department_id": _l("Department"), "created_at": _l("Created"), "updated_at": _l("Updated"),
                 "submitted_at": _l("Submitted"), "decided_at": _l("Decided"), "title": _l("Title"),
                 "amount": _l("Amount"), "description": _l("Description"), "attachments": _l("Attachments"),
                 "currency": _l("Currency"), "quantity": _l("Quantity"), "unit": _l("Unit"),
                 "unit_price": _l("Unit price"), "total": _l("Total"), "category": _l("Category"),
                 "remarks": _l("Remarks"), "reason": _l("Reason")}


def label_for(model, key: str):
    """A column's label: the model's own ``__labels__`` (which the audit log reads too), then the
    core's vocabulary, then the key itself."""
    return getattr(model, "__labels__", {}).get(key) or VOCABULARY.get(key) or key


FORMATS = ("text", "money", "number", "quantity", "percent", "date", "datetime", "status", "person",
           "department", "bool", "choice", "count")


@dataclass(frozen=True)
class Field:
    """One shown value of a record.

    :param key: the attribute to read, dotted for related records (``supplier.name``).
        ``department_id``-style keys with format ``department`` read the cached org chart.
    :param label: the column or field label; lists fall back to the document type's labels.
    :param format: text, money (with the record's ``currency``), number, quantity, percent,
        date, datetime (in the company's time zone), status (the type's declared statuses),
        person (a user: name), department (an id: name), bool, choice (``choices`` maps
        stored values to labels), count.
    :param value: ``record -> value`` when the value is not an attribute.
    """

    key: str
    label: Any = None
    format: str = "text"
    value: Callable[[Any], Any] | None = None
    choices: Mapping[str, Any] | None = None
    currency: str = "currency"

    def __post_init__(self):
        if self.format not in FORMATS:
            raise ValueError(f"field {self.key}: unknown format {self.format!r}")

    def read(self, record) -> Any:
        if self.value is not None:
            return self.value(record)
        value = record
        for part in self.key.split("."):
            if value is None:
                return None
            value = getattr(value, part)
        return value

    @property
    def relation(self) -> str | None:
        """The relationship a dotted or person key loads (for eager loading in lists)."""
        if self.value is not None:
            return None
        if "." in self.key:
            return self.key.split(".", 1)[0]
        return self.key if self.format == "person" else None

    def currency_of(self, record) -> str:
        return getattr(record, self.currency, None) or "CNY"


def present(field: Field, record, *, statuses=None, org=None, money, quantity, number, day, moment) -> Any:
    """The value of ``field`` as text for a reader, with the formatters of the medium.

    ``money(value, currency)``, ``quantity(value)``, ``number(value)``, ``day(date)`` and
    ``moment(datetime)`` format for the page or the paper; ``statuses`` is the
    record type's :class:`intranet.documents.StatusSet`.
    """
    value = field.read(record)
    kind = field.format
    if value is None or value == "":
        return "—" if kind not in ("text",) else ""
    if kind == "money":
        return money(value, field.currency_of(record))
    if kind == "quantity":
        return quantity(value)
    if kind in ("number", "count"):
        return number(value)
    if kind == "percent":
        return f"{number(value)} %"
    if kind == "date":
        return day(value)
    if kind == "datetime":
        return moment(value)
    if kind == "status":
        return statuses.name_of(value) if statuses is not None else str(value)
    if kind == "person":
        return getattr(value, "name", str(value))
    if kind == "department":
        node = org.get(value) if org is not None and isinstance(value, int) else None
        return node.name if node else getattr(value, "name", str(value))
    if kind == "bool":
        return gettext("Yes") if value else gettext("No")
    if kind == "choice" and field.choices is not None:
        return str(field.choices.get(value, value))
    return str(value)


def export_value(field: Field, record, *, statuses=None, org=None, moment) -> Any:
    """The value for a CSV or Excel cell: numbers and dates stay typed, words are translated."""
    value = field.read(record)
    if value is None:
        return None
    if field.format in ("money", "number", "quantity", "percent", "count") and isinstance(value, (int, Decimal)):
        return value
    if field.format == "datetime" and isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return present(field, record, statuses=statuses, org=org, money=lambda v, c: v, quantity=lambda v: v,
                   number=lambda v: v, day=lambda v: v, moment=moment)
