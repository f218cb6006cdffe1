"""Budget forms: the annual budget with its lines, actual costs, imports, variance
explanations and adjustment requests."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Form, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from intranet import lazy_gettext as _l
from intranet.web import LinesField, MoneyField


class LineForm(Form):
    category = SelectField(_l("Category"), validate_choice=True)
    amount = MoneyField(_l("Amount"), allow_zero=True)
    justification = StringField(_l("Justification"), validators=[InputRequired(), Length(max=500)])
    phasing = StringField(_l("Monthly phasing"), validators=[Length(max=300)])


class PlanForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    title = StringField(_l("Title"), validators=[Length(max=200)])
    lines = LinesField(LineForm, min_entries=1, max_entries=30)


class ActualForm(FlaskForm):
    department_id = SelectField(_l("Department"), coerce=int, validate_choice=True)
    category = SelectField(_l("Category"), validate_choice=True)
    month = StringField(_l("Month"), validators=[InputRequired(), Length(max=7)])
    amount = MoneyField(_l("Amount"), allow_zero=True)
    description = StringField(_l("Description"), validators=[Length(max=200)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[InputRequired()])


class MonthForm(FlaskForm):
    month = StringField(_l("Month"), validators=[InputRequired(), Length(max=7)])


class VarianceForm(FlaskForm):
    month = StringField(_l("Month"), validators=[InputRequired(), Length(max=7)])
    category = SelectField(_l("Category"), validate_choice=True)
    cause = TextAreaField(_l("Cause"), validators=[InputRequired(), Length(max=5000)])
    controllable = BooleanField(_l("Controllable"))
    remedy = TextAreaField(_l("Remedy"), validators=[InputRequired(), Length(max=5000)])


class AdjustmentForm(FlaskForm):
    month = StringField(_l("From month"), validators=[InputRequired(), Length(max=7)])
    from_department_id = SelectField(_l("From department"), coerce=int, validate_choice=True)
    from_category = SelectField(_l("From category"), validate_choice=True)
    to_department_id = SelectField(_l("To department"), coerce=int, validate_choice=True)
    to_category = SelectField(_l("To category"), validate_choice=True)
    amount = MoneyField(_l("Amount"))
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=5000)])
