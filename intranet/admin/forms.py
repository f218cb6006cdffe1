from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from ..i18n import lazy_gettext as _l


class RoleForm(FlaskForm):
    key = StringField(_l("Key"), validators=[InputRequired(), Length(max=40), Regexp(
        r"^[a-z][a-z0-9_]{1,39}$", message=_l("Lower-case letters, digits and _; start with a letter."))])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)])


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)])
    is_workday = BooleanField(_l("Make-up working day (调休上班)"))
