"""Forms of procurement: requests with their items, suppliers, evaluations, quotations, the choice."""
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from intranet import lazy_gettext as _l
from intranet.web import LinesField, MoneyField, QuantityField, optional_int


class LineForm(Form):
    item = StringField(_l("Item"), validators=[InputRequired(), Length(max=100)])
    specification = StringField(_l("Specification"), validators=[Length(max=200)])
    quantity = QuantityField(_l("Quantity"))
    unit = SelectField(_l("Unit"), validate_choice=True)
    unit_price = MoneyField(_l("Estimated unit price"))


class RequestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    cost_category = SelectField(_l("Cost category"), validate_choice=True)
    purpose = TextAreaField(_l("Purpose"), validators=[InputRequired(), Length(max=5000)])
    lines = LinesField(LineForm, min_entries=1, max_entries=100)
    suggested_supplier_id = SelectField(_l("Suggested supplier"), coerce=optional_int, validate_choice=True)
    suggestion_reason = StringField(_l("Why this supplier"), validators=[Length(max=500)])
    files = MultipleFileField(_l("Attachments"))


class SupplierForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    category = SelectField(_l("Category"), validate_choice=True)
    contact = StringField(_l("Contact person"), validators=[Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    bank_name = StringField(_l("Bank"), validators=[Length(max=200)])
    bank_account = StringField(_l("Bank account"), validators=[Length(max=60)])


SCORE = [InputRequired(), NumberRange(min=0, max=100)]


class EvaluationForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    price_score = IntegerField(_l("Price"), validators=SCORE)
    quality_score = IntegerField(_l("Quality"), validators=SCORE)
    delivery_score = IntegerField(_l("Delivery"), validators=SCORE)
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=2000)])


class QuotationForm(FlaskForm):
    supplier_id = SelectField(_l("Supplier"), coerce=optional_int, validate_choice=False)
    lead_days = IntegerField(_l("Lead time (days)"), validators=[InputRequired(), NumberRange(min=0, max=365)])
    after_sales = StringField(_l("After-sales terms"), validators=[Length(max=500)])
    service_score = IntegerField(_l("Service and brand score"), validators=SCORE)
    sample_result = StringField(_l("Sample test"), validators=[Length(max=500)])


class ChoiceForm(FlaskForm):
    quotation_id = SelectField(_l("Chosen quotation"), coerce=optional_int, validate_choice=False)
    reason = TextAreaField(_l("Reason for the choice"), validators=[Length(max=1000)])
    sample_test = StringField(_l("Sample test"), validators=[Length(max=1000), Optional()])
