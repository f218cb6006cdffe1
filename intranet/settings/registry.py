"""Typed settings with defaults, parsed and validated without Flask."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..amounts import parse_decimal
from ..errors import N_, Invalid
from .models import SettingValue

TYPES = ("int", "decimal", "str", "bool", "list", "choice", "time", "email", "role", "bands", "table")
COLUMN_TYPES = ("decimal", "int", "str", "choice", "role")
MAX_BANDS, MAX_ROWS = 20, 50


class SettingError(Invalid):
    """A value an administrator typed that the setting cannot hold."""


@dataclass(frozen=True)
class Column:
    """A column of a table setting: a key, what the page calls it, and its type
    (decimal, int, str, choice among ``choices``, role)."""

    key: str
    label: Any
    type: str = "str"
    choices: tuple[str, ...] = ()
    #: a row may leave it empty (None); otherwise every row gives a value
    optional: bool = False

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.key}: unknown type {self.type!r}")

    @property
    def options(self) -> list[tuple[str, str]]:
        """A choice column's (value, text) options."""
        return [(choice, choice) for choice in self.choices]


@dataclass(frozen=True)
class Setting:
    """A declared setting. ``key`` is ``<module>.<name>``.

    ``type`` is one of: int, decimal, str, bool, list (comma-separated
    strings; with ``choices``, a subset of them), choice (one of ``choices``),
    time (HH:MM), email, role (a role key; the page offers the roles by name),
    bands (amount bands: a tuple of Decimal limits, each above the one before, each
    within ``minimum``..``maximum``; a policy follows one as ``@key[n]``) or table
    (rows of typed ``columns``: a tuple of dicts by column key).
    ``choice_labels`` names the choices for the reader (value -> lazy text); a
    value without a label is shown as it is.
    """

    key: str
    default: Any
    label: Any
    help: Any = ""
    type: str = "int"
    choices: tuple[str, ...] = ()
    minimum: Any = None
    maximum: Any = None
    #: kept off the settings page because a page of its own edits it (e.g. the company logo)
    hidden: bool = False
    #: ``value -> value`` further checks of a typed value (raise :class:`intranet.Invalid`)
    check: Callable[[Any], Any] | None = None
    choice_labels: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)
    #: the columns of a table setting
    columns: tuple[Column, ...] = ()

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"setting {self.key}: unknown type {self.type!r}")
        if (self.type == "table") != bool(self.columns):
            raise ValueError(f"setting {self.key}: a table, and only a table, has columns")

    @property
    def module(self) -> str:
        return self.key.split(".", 1)[0]

    def parse(self, raw: Any) -> Any:
        """Turn text from a form (or stored JSON) into the typed value."""
        text = raw.strip() if isinstance(raw, str) else raw
        try:
            value = _PARSERS[self.type](self, text)
        except SettingError:
            raise
        except (ValueError, InvalidOperation, TypeError, ArithmeticError) as exc:
            raise SettingError(_TYPE_MESSAGES[self.type], field=self.key) from exc
        if self.type not in ("bands", "table"):  # those check their limits item by item
            self._within(value)
        if self.check is not None:
            try:
                value = self.check(value)
            except Invalid as problem:
                raise SettingError(problem.message, field=self.key, **problem.params) from None
        return value

    def _within(self, value, part: str = "", **where) -> None:
        """Within ``minimum``..``maximum``: the value, or a ``part`` of it (a "limit" of bands, a table's "cell")."""
        if self.minimum is not None and value < self.minimum:
            raise SettingError(_LIMIT_MESSAGES[part, "min"], field=self.key, limit=self.minimum, **where)
        if self.maximum is not None and value > self.maximum:
            raise SettingError(_LIMIT_MESSAGES[part, "max"], field=self.key, limit=self.maximum, **where)

    def to_json(self, value: Any) -> Any:
        if self.type == "decimal":
            return str(value)
        if self.type == "bands":
            return [str(limit) for limit in value]
        if self.type == "table":
            return [{k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in value]
        if self.type == "time":
            return value.strftime("%H:%M")
        return value

    def display(self, value: Any) -> str:
        if self.type == "list":
            return ", ".join(value)
        if self.type == "bands":
            return " / ".join(f"{limit:,}" for limit in value)
        if self.type == "table":
            return "; ".join(", ".join("—" if v is None else str(v) for v in row.values()) for row in value)
        if self.type == "time":
            return value.strftime("%H:%M")
        if self.type == "bool":
            return "yes" if value else "no"
        return str(value)

    def label_of(self, choice: str) -> str:
        """What a choice is called on the page (the value itself when it has no label)."""
        return str((self.choice_labels or {}).get(choice, choice))

    def describe(self, value: Any) -> str:
        """A value as the reader says it: choices by their labels (defaults in hints)."""
        if self.type == "list" and self.choice_labels:
            return ", ".join(self.label_of(item) for item in value)
        if self.type == "choice":
            return self.label_of(value)
        return self.display(value)


def _int(setting: Setting, text) -> int:
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if not isinstance(text, str) or not text.lstrip("-").isdigit() or len(text) > 15:
        raise ValueError(text)
    return int(text)


def _decimal(setting: Setting, text) -> Decimal:
    # As people in the company type numbers: "5,000", "５０００", "¥5000".
    if isinstance(text, (bool, float)) or len(str(text)) > 30:
        raise ValueError(text)
    value = parse_decimal(text, places=6, quantize=False)
    if value is None:
        raise ValueError(text)
    return value


def _bands(setting: Setting, raw) -> tuple[Decimal, ...]:
    """Amount bands from the page's one field per limit (empty ones dropped) or stored JSON."""
    items = raw if isinstance(raw, (list, tuple)) else str(raw or "").replace("/", "\n").splitlines()
    items = [item for item in items if str(item).strip()]
    if len(items) > MAX_BANDS:
        raise SettingError(N_("At most %(count)s limits."), field=setting.key, count=MAX_BANDS)
    limits = []
    for number, item in enumerate(items, start=1):
        try:
            limit = _decimal(setting, str(item).strip())
        except (ValueError, InvalidOperation):
            raise SettingError(N_("Limit %(row)s: enter an amount such as 5000 or 5,000.50."), field=setting.key,
                               row=number) from None
        setting._within(limit, "limit", row=number)
        if limits and limit <= limits[-1]:
            raise SettingError(N_("Limit %(row)s must be above limit %(previous)s (%(limit)s)."),
                               field=setting.key, row=number, previous=number - 1, limit=f"{limits[-1]:,}")
        limits.append(limit)
    return tuple(limits)


def _cell(setting: Setting, column: Column, text, row: int):
    text = "" if text is None else str(text).strip()
    if not text:
        if column.optional:
            return None
        raise SettingError(N_("Row %(row)s: give %(column)s."), field=setting.key, row=row, column=column.label,
                           cell=column.key)
    try:
        if column.type == "decimal":
            value = _decimal(setting, text)
        elif column.type == "int":
            value = _int(setting, text)
        elif column.type == "choice" and text not in column.choices:
            raise ValueError(text)
        else:
            value = text
    except (ValueError, InvalidOperation):
        raise SettingError(N_("Row %(row)s: %(column)s is not valid (“%(value)s”)."), field=setting.key, row=row,
                           column=column.label, value=text[:40], cell=column.key) from None
    if column.type in ("decimal", "int"):
        setting._within(value, "cell", row=row, column=column.label, cell=column.key)
    elif len(value) > 100:
        raise SettingError(N_("Row %(row)s: %(column)s has at most %(limit)s characters."), field=setting.key,
                           row=row, column=column.label, limit=100, cell=column.key)
    return value


def _table(setting: Setting, raw) -> tuple[dict, ...]:
    """Rows from the page (a list of {column: text}; rows left wholly empty dropped) or stored JSON."""
    if not isinstance(raw, (list, tuple)) or not all(isinstance(row, Mapping) for row in raw):
        raise ValueError(raw)
    rows = [row for row in raw if any(str(row.get(c.key) or "").strip() for c in setting.columns)]
    if len(rows) > MAX_ROWS:
        raise SettingError(N_("At most %(count)s rows."), field=setting.key, count=MAX_ROWS)
    return tuple({c.key: _cell(setting, c, row.get(c.key), number) for c in setting.columns}
                 for number, row in enumerate(rows, start=1))


def _str(setting: Setting, text) -> str:
    text = "" if text is None else str(text)
    if len(text) > 500:
        raise SettingError(N_("At most %(limit)s characters."), field=setting.key, limit=500)
    return text


def _bool(setting: Setting, text) -> bool:
    if isinstance(text, bool):
        return text
    if str(text).lower() in ("1", "true", "yes", "on", "y"):
        return True
    if str(text).lower() in ("0", "false", "no", "off", "n", ""):
        return False
    raise ValueError(text)


def _list(setting: Setting, text) -> tuple[str, ...]:
    items = text if isinstance(text, (list, tuple)) else str(text).replace("，", ",").split(",")
    items = tuple(str(item).strip() for item in items if str(item).strip())
    if any(len(item) > 100 for item in items):
        raise SettingError(N_("Each item at most %(limit)s characters."), field=setting.key, limit=100)
    if setting.choices:
        if any(item not in setting.choices for item in items):
            raise SettingError(N_("Choose among the options."), field=setting.key)
        items = tuple(choice for choice in setting.choices if choice in items)  # in the choices' order
    return items


def _choice(setting: Setting, text) -> str:
    if text not in setting.choices:
        raise SettingError(N_("Choose one of %(choices)s."), field=setting.key,
                           choices=", ".join(setting.choices))
    return text


def _role(setting: Setting, text) -> str:
    text = _str(setting, text)
    if not text or len(text) > 40:
        raise ValueError(text)
    return text


def _time(setting: Setting, text) -> time:
    if isinstance(text, time):
        return text
    hours, _, minutes = str(text).partition(":")
    return time(int(hours), int(minutes or 0))


def _email(setting: Setting, text) -> str:
    text = _str(setting, text)
    if text and ("@" not in text or " " in text):
        raise ValueError(text)
    return text


_TYPE_MESSAGES = {
    "int": N_("Enter a whole number."),
    "decimal": N_("Enter a number."),
    "str": N_("Enter text."),
    "bool": N_("Enter yes or no."),
    "list": N_("Enter items separated by commas."),
    "choice": N_("Choose one of the options."),
    "time": N_("Enter a time as HH:MM."),
    "email": N_("Enter an e-mail address."),
    "role": N_("Choose a role."),
    "bands": N_("Enter one amount per limit."),
    "table": N_("Fill in the table."),
}

_LIMIT_MESSAGES = {
    ("", "min"): N_("Must be at least %(limit)s."), ("", "max"): N_("Must be at most %(limit)s."),
    ("limit", "min"): N_("Limit %(row)s must be at least %(limit)s."),
    ("limit", "max"): N_("Limit %(row)s must be at most %(limit)s."),
    ("cell", "min"): N_("Row %(row)s: %(column)s must be at least %(limit)s."),
    ("cell", "max"): N_("Row %(row)s: %(column)s must be at most %(limit)s."),
}

_PARSERS = {"int": _int, "decimal": _decimal, "str": _str, "bool": _bool, "list": _list,
            "choice": _choice, "time": _time, "email": _email, "role": _role, "bands": _bands, "table": _table}


def load_overrides(session: Session) -> Mapping[str, Any]:
    """Runtime loader: stored overrides as raw JSON values."""
    return dict(session.execute(select(SettingValue.key, SettingValue.value)).all())


class Settings:
    """Typed read access to declared settings, defaults overlaid with overrides."""

    def __init__(self, declared: Mapping[str, Setting], overrides: Mapping[str, Any]):
        self.declared = declared
        self._values: dict[str, Any] = {}
        for key, setting in declared.items():
            value = setting.default
            if key in overrides:
                try:
                    value = setting.parse(overrides[key])
                except SettingError:
                    value = setting.default  # a stored value the type no longer accepts
            self._values[key] = value

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)
