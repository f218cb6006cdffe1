from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from intranet import lazy_gettext as _l
from intranet.web import MoneyField


class RequestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    category = SelectField(_l("Category"), validate_choice=True)
    amount = MoneyField(_l("Amount (CNY, optional)"), required=False, allow_zero=True)
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)])
    files = MultipleFileField(_l("Attachments"))
