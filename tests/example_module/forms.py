from flask_wtf import FlaskForm
from wtforms import Form, SelectField, StringField
from wtforms.validators import InputRequired, Length

from intranet.web import LinesField, MoneyField, QuantityField, options

SECRET = "机密"
CATEGORIES = ("办公用品", "差旅", "维修", "其他", SECRET)


class LineForm(Form):
    item = StringField("Item", validators=[InputRequired(), Length(max=100)])
    quantity = QuantityField("Quantity")
    unit_price = MoneyField("Unit price")


class OrderForm(FlaskForm):
    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    category = SelectField("Category", choices=options((c, c) for c in CATEGORIES))
    lines = LinesField(LineForm)
