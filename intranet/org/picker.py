"""The person picker's form fields 选人控件: one colleague (``PersonField``) or several (``PeopleField``).

A form declares ``owner = PersonField(_l("Owner"))`` and its template says
``{{ person_picker(form.owner) }}`` (from "macros.html"). The page posts the chosen people's
employee numbers under the field's name; text typed without picking anyone comes as
``<name>-q`` and counts when it names exactly one person (an employee number, a user name or
a full name), so the form also works without JavaScript. ``data`` is the user id (or the list
of ids); anyone unknown, left or ambiguous is an error beside the field (422).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from ..db import db
from ..errors import N_, Invalid
from ..i18n import gettext as _
from .models import User
from .people import resolve_people

SEARCH_SUFFIX = "-q"
PROBLEMS = {
    "unknown": N_("No colleague matches “%(text)s”: pick one from the suggestions."),
    "ambiguous": N_("Several colleagues match “%(text)s”: pick one from the suggestions."),
    "required": N_("Choose a colleague."),
    "too_many": N_("Choose at most %(count)s people."),
    "only_one": N_("Choose only one colleague."),
}


class PersonField(Field):
    """One colleague; ``data`` is the user's id or None."""

    multiple = False

    def __init__(self, label=None, validators=None, *, required: bool = False, active_only: bool = True,
                 max_people: int = 50, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required, self.active_only, self.max_people = required, active_only, max_people
        self.flags.required = required
        self.typed = ""
        self.problem: tuple[str, str] | None = None  # (key of PROBLEMS, the text it is about)
        self._people: list[User] | None = None

    # -- reading the form ----------------------------------------------------------
    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.typed = (formdata.get(self.name + SEARCH_SUFFIX) or "").strip()
            if self.typed and not self.multiple:
                self.raw_data = []  # typing over the chosen person replaces them
            limit = self.max_people if self.multiple else 1
            # One more than allowed is enough to say "too many", however many were posted.
            people, self.problem = resolve_people(db.session, (self.raw_data or [])[:limit + 1], self.typed,
                                                  active_only=self.active_only)
            if not self.problem and len(people) > limit:
                self.problem = ("too_many" if self.multiple else "only_one", "")
            self._people = people
            ids = [person.id for person in people]
            self.data = ids if self.multiple else (ids[0] if ids else None)
            if not self.problem:
                self.typed = ""

    def process_formdata(self, valuelist):
        self.raw_data = valuelist  # resolved with the typed text in process()

    def process_data(self, value):
        if isinstance(value, User):
            value = value.id
        if self.multiple:
            value = [person.id if isinstance(person, User) else person for person in value or []]
        self.data = value
        self._people = None

    def pre_validate(self, form):
        problem = self.problem or (("required", "") if self.required and not self.data else None)
        if problem:
            raise ValidationError(_(PROBLEMS[problem[0]], **self._params(problem)))

    def _params(self, problem: tuple[str, str]) -> dict:
        return {"text": problem[1], "count": self.max_people if self.multiple else 1}

    # -- for views that act without validating the whole form (approvals) ----------
    def chosen_id(self) -> int:
        """The chosen colleague's id, or :class:`Invalid` beside this field."""
        problem = self.problem or (None if self.data else ("required", ""))
        if problem:
            raise Invalid(PROBLEMS[problem[0]], field=self.short_name, **self._params(problem))
        return self.data

    # -- for the template ----------------------------------------------------------
    @property
    def people(self) -> list[User]:
        """The chosen people with their departments, read in one statement."""
        if self._people is None:
            ids = self.data if self.multiple else [self.data]
            ids = [i for i in ids or [] if isinstance(i, int)]
            found = {user.id: user for user in db.session.scalars(
                select(User).options(joinedload(User.department)).where(User.id.in_(ids)))} if ids else {}
            self._people = [found[i] for i in ids if i in found]
        return self._people

    @property
    def search_name(self) -> str:
        return self.name + SEARCH_SUFFIX


class PeopleField(PersonField):
    """Several colleagues (owners, attendees, interviewers); ``data`` is a list of user ids."""

    multiple = True

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.data = []
