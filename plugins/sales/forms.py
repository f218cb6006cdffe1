"""Sales forms: order with lines, shipment steps, follow-up survey, product."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Form, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from intranet import lazy_gettext as _l
from intranet.web import LinesField, MoneyField, QuantityField


class OrderLineForm(Form):
    product_code = SelectField(_l("Product"), validate_choice=False)
    quantity = QuantityField(_l("Quantity"))
    unit_price = MoneyField(_l("Unit price"), allow_zero=True)
    quoted_price = MoneyField(_l("Quoted price"), required=False, allow_zero=True, widget=HiddenInput())


class OrderForm(FlaskForm):
    customer_id = IntegerField(_l("Customer"), validators=[InputRequired()])
    kind = SelectField(_l("Order type"))
    discount = MoneyField(_l("Discount (%)"), allow_zero=True)
    ask_discount_approval = BooleanField(_l("Ask for approval of the discount"))
    invoice_title = StringField(_l("Invoice title"), validators=[Length(max=200)])
    invoice_tax_number = StringField(_l("Invoice tax number"), validators=[Length(max=40)])
    invoice_address = StringField(_l("Invoice address and phone"), validators=[Length(max=200)])
    invoice_bank = StringField(_l("Bank and account"), validators=[Length(max=200)])
    delivery_address = StringField(_l("Delivery address"), validators=[Length(max=200)])
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=5000)])
    lines = LinesField(OrderLineForm, min_entries=1, max_entries=100)


class ShipForm(FlaskForm):
    fragile = BooleanField(_l("Fragile"))
    moisture = BooleanField(_l("Keep dry"))


class AdvanceForm(FlaskForm):
    carrier = SelectField(_l("Carrier"), validate_choice=False)
    tracking_number = StringField(_l("Tracking number"), validators=[Length(max=60)])
    delivered_on = DateField(_l("Delivered"), validators=[Optional()])


class SurveyForm(FlaskForm):
    q1 = IntegerField(_l("Product quality"), validators=[InputRequired(), NumberRange(min=1, max=5)])
    q2 = IntegerField(_l("Delivery on time"), validators=[InputRequired(), NumberRange(min=1, max=5)])
    q3 = IntegerField(_l("Packaging"), validators=[InputRequired(), NumberRange(min=1, max=5)])
    q4 = IntegerField(_l("Service of the salesperson"), validators=[InputRequired(), NumberRange(min=1, max=5)])
    q5 = IntegerField(_l("Would recommend us"), validators=[InputRequired(), NumberRange(min=1, max=5)])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class ProductForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)])
    name = StringField(_l("Product"), validators=[InputRequired(), Length(max=100)])
    category = SelectField(_l("Category"))
    specification = StringField(_l("Specification"), validators=[Length(max=200)])
    unit = StringField(_l("Unit"), validators=[InputRequired(), Length(max=20)])
    list_price = MoneyField(_l("List price"))
