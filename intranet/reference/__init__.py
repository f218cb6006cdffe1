"""Reference data several modules share: cost categories 费用类别 and units 计量单位.

Budget lines, purchase requests, training costs and sales commitments all speak of
the same cost categories (the budget handbook's five), so the list lives in the core
and every module reads it from here; units are a setting administrators extend.
"""
from __future__ import annotations

from typing import Any

from ..i18n import lazy_gettext as _l

#: The budget handbook's cost categories: stored code, label.
COST_CATEGORIES: tuple[tuple[str, Any], ...] = (
    ("labour", _l("Labour")),
    ("materials", _l("Materials")),
    ("depreciation", _l("Depreciation")),
    ("marketing", _l("Marketing")),
    ("administration", _l("Administrative expenses")),  # 管理费用; "Administration" is the admin menu
)
_LABELS = dict(COST_CATEGORIES)


def cost_categories() -> list[tuple[str, Any]]:
    """(code, label) of every cost category, in the handbook's order (select choices)."""
    return list(COST_CATEGORIES)


def cost_category_label(code: str) -> str:
    """The category's name in the reader's language, or the code when it is unknown."""
    label = _LABELS.get(code)
    return str(label) if label is not None else code


def units(settings) -> tuple[str, ...]:
    """The units people choose from (the ``core.units`` setting)."""
    return settings["core.units"]


__all__ = ["COST_CATEGORIES", "cost_categories", "cost_category_label", "units"]
