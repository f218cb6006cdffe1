"""Form helpers every module's forms use."""
from __future__ import annotations

from typing import Iterable

from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_int(value):
    """Coerce a select's value: '' (nothing chosen) is None; junk is refused."""
    if value in (None, "", "None"):
        return None
    return int(value)  # a ValueError becomes WTForms' "Invalid choice" message


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
