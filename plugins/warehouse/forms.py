"""The warehouse's forms. A receipt's lines are read by the view (one row per order line)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from intranet import lazy_gettext as _l


class OpenReceiptForm(FlaskForm):
    """Goods arrived: which order they belong to."""

    order_id = HiddenField()


class CheckForm(FlaskForm):
    """The receipt's own fields; the lines come as lines-N-... rows."""

    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=2000)])


class PhotoForm(FlaskForm):
    line_id = HiddenField()


class ResolveForm(FlaskForm):
    resolution = SelectField(_l("Resolution"), validators=[InputRequired()])
    note = StringField(_l("What was agreed with the supplier"), validators=[Length(max=1000)])
