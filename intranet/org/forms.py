from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..i18n import lazy_gettext as _l
from ..web.forms import MultiCheckboxField, optional_int, options
from .picker import PersonField

LANGUAGE_CHOICES = options([("", _l("Browser's choice")), ("zh_CN", "中文"), ("en", "English")])


class EmployeeNumberField(StringField):
    """A person typed as their employee number 工号. Filled from a record, the field gets the
    record's person (department.head, user.manager): it shows their number, and a form sent
    without the field keeps that person instead of validating a User object as text."""

    def process_data(self, value):
        super().process_data(getattr(value, "employee_no", value))


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)])
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=30)])
    parent_id = SelectField(_l("Parent department"), coerce=optional_int, validate_choice=True)
    # Someone who has left may stay where they are until an administrator chooses another.
    head = PersonField(_l("Head"), active_only=False)
    vp = PersonField(_l("Vice president in charge"), active_only=False)
    sort_order = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(-9999, 9999)])
    active = BooleanField(_l("Active"), default=True)


class PositionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)])
    department_id = SelectField(_l("Department"), coerce=optional_int, validate_choice=True)
    is_fixed = BooleanField(_l("Fixed post"))
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[InputRequired(), Length(max=64)])
    employee_no = StringField(_l("Employee number"), validators=[InputRequired(), Length(max=30)])
    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=100)])
    email = StringField(_l("E-mail"), validators=[Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=32)])
    department_id = SelectField(_l("Department"), coerce=optional_int, validate_choice=True)
    position_id = SelectField(_l("Position"), coerce=optional_int, validate_choice=True)
    manager = PersonField(_l("Manager"), active_only=False)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validate_choice=True)
    role_keys = MultiCheckboxField(_l("Roles"), validate_choice=True)
    active = BooleanField(_l("Employed (can sign in)"), default=True)
    left_on = DateField(_l("Left on"), validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8)"), validators=[FileRequired()])


class ProfileForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validate_choice=True)
    phone = StringField(_l("Phone"), validators=[Length(max=32)])
