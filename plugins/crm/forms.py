"""CRM forms: customer, contact log, terms, quotation, customer request, callback."""
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, Form, IntegerField, SelectField, StringField, TextAreaField)
from wtforms.widgets import HiddenInput
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from intranet import lazy_gettext as _l
from intranet.web import LinesField, MoneyField, MultiCheckboxField, QuantityField, optional_int


class ContactForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=60)])
    role = StringField(_l("Position"), validators=[Length(max=60)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=120)])
    wechat = StringField(_l("WeChat"), validators=[Length(max=60)])


class CustomerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    industry = SelectField(_l("Industry"))
    tax_number = StringField(_l("Tax number"), validators=[Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    channels = StringField(_l("Channels"), validators=[Length(max=200)])
    products = StringField(_l("Products"), validators=[Length(max=300)])
    relationship_since = DateField(_l("Customer since"), validators=[Optional()])
    tags = MultiCheckboxField(_l("Tags"))
    contacts = LinesField(ContactForm, min_entries=1, max_entries=20)


class NewCustomerForm(CustomerForm):
    discount = MoneyField(_l("Discount (%)"), allow_zero=True)
    payment_terms = SelectField(_l("Payment terms"))
    confirm_duplicate = BooleanField(_l("It is another customer"))


class ContactLogForm(FlaskForm):
    channel = SelectField(_l("Channel"))
    result = TextAreaField(_l("Result"), validators=[InputRequired(), Length(max=2000)])


class TermsForm(FlaskForm):
    discount = MoneyField(_l("Discount (%)"), allow_zero=True)
    payment_terms = SelectField(_l("Payment terms"))
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])


class ReassignForm(FlaskForm):
    owner_id = SelectField(_l("Owner"), coerce=optional_int)


class QuotationLineForm(Form):
    product = StringField(_l("Product"), validators=[InputRequired(), Length(max=100)])
    specification = StringField(_l("Specification"), validators=[Length(max=200)])
    quantity = QuantityField(_l("Quantity"))
    unit = StringField(_l("Unit"), validators=[Length(max=20)])
    unit_price = MoneyField(_l("Unit price"))


class QuotationForm(FlaskForm):
    customer_id = IntegerField(_l("Customer"), widget=HiddenInput(), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=5000)])
    lines = LinesField(QuotationLineForm, min_entries=1, max_entries=100)


class RequestForm(FlaskForm):
    customer_id = IntegerField(_l("Customer"), widget=HiddenInput(), validators=[InputRequired()])
    kind = SelectField(_l("Type"))
    responsible_department_id = SelectField(_l("Responsible department"), coerce=optional_int)
    description = TextAreaField(_l("Description"), validators=[InputRequired(), Length(max=5000)])


class AnswerForm(FlaskForm):
    response = TextAreaField(_l("Response"), validators=[InputRequired(), Length(max=5000)])


class CallbackForm(FlaskForm):
    score = IntegerField(_l("Satisfaction (1-5)"), validators=[InputRequired(), NumberRange(min=1, max=5)])
    note = StringField(_l("Note"), validators=[Length(max=500)])
