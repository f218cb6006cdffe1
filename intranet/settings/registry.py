"""Typed settings with defaults, parsed and validated without Flask."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import N_, Invalid
from .models import SettingValue

TYPES = ("int", "decimal", "str", "bool", "list", "choice", "time", "email", "role")


class SettingError(Invalid):
    """A value an administrator typed that the setting cannot hold."""


@dataclass(frozen=True)
class Setting:
    """A declared setting. ``key`` is ``<module>.<name>``.

    ``type`` is one of: int, decimal, str, bool, list (comma-separated
    strings; with ``choices``, a subset of them), choice (one of ``choices``),
    time (HH:MM), email, role (a role key; the page offers the roles by name).
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

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"setting {self.key}: unknown type {self.type!r}")

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
        if self.minimum is not None and value < self.minimum:
            raise SettingError(N_("Must be at least %(limit)s."), field=self.key, limit=self.minimum)
        if self.maximum is not None and value > self.maximum:
            raise SettingError(N_("Must be at most %(limit)s."), field=self.key, limit=self.maximum)
        if self.check is not None:
            try:
                value = self.check(value)
            except Invalid as problem:
                raise SettingError(problem.message, field=self.key, **problem.params) from None
        return value

    def to_json(self, value: Any) -> Any:
        if self.type == "decimal":
            return str(value)
        if self.type == "time":
            return value.strftime("%H:%M")
        return value

    def display(self, value: Any) -> str:
        if self.type == "list":
            return ", ".join(value)
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
    if isinstance(text, (bool, float)) or len(str(text)) > 30:
        raise ValueError(text)
    value = Decimal(str(text))
    if not value.is_finite():
        raise ValueError(text)
    return value


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
}

_PARSERS = {"int": _int, "decimal": _decimal, "str": _str, "bool": _bool, "list": _list,
            "choice": _choice, "time": _time, "email": _email, "role": _role}


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
