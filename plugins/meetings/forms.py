"""Meeting forms: the notice with its agenda, the steps of attendees, and the minutes."""
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, HiddenField, IntegerField, MultipleFileField, SelectField, \
    StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from intranet import lazy_gettext as _l
from intranet.web import LinesField, optional_int


class AgendaForm(Form):
    title = StringField(_l("Agenda item"), validators=[Optional(), Length(max=200)])
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(1, 1440)])


class MeetingForm(FlaskForm):
    title = StringField(_l("Topic"), validators=[InputRequired(), Length(max=200)])
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts"), validators=[InputRequired()])
    end = TimeField(_l("Ends"), validators=[InputRequired()])
    room_id = SelectField(_l("Room"), coerce=optional_int, validate_choice=True)
    online_link = StringField(_l("Online link"), validators=[Length(max=300)])
    chair = StringField(_l("Chair (employee number)"), validators=[InputRequired(), Length(max=32)])
    minute_taker = StringField(_l("Minute taker (employee number)"), validators=[InputRequired(), Length(max=32)])
    attendees = TextAreaField(_l("Attendees (employee numbers)"), validators=[InputRequired(), Length(max=2000)])
    agenda = LinesField(AgendaForm, min_entries=1, max_entries=20)
    materials = TextAreaField(_l("Materials"), validators=[Length(max=5000)])
    files = MultipleFileField(_l("Attachments"))


class SendForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the short notice"), validators=[Length(max=5000)])


class AbsenceForm(FlaskForm):
    reason = StringField(_l("Why you cannot come"), validators=[InputRequired(), Length(max=500)])
    delegate = StringField(_l("Delegate (employee number)"), validators=[InputRequired(), Length(max=32)])


class SignInForm(FlaskForm):
    person = StringField(_l("Employee number"), validators=[Optional(), Length(max=32)])


class ItemForm(Form):
    topic = HiddenField()
    discussion = TextAreaField(_l("Discussion"), validators=[Length(max=5000)])
    decision = TextAreaField(_l("Decision"), validators=[Length(max=5000)])


class ActionForm(Form):
    what = StringField(_l("Action"), validators=[Optional(), Length(max=300)])
    owner = StringField(_l("Owner (employee number)"), validators=[Optional(), Length(max=60)])
    due_on = DateField(_l("Due"), validators=[Optional()])


class OpenItemForm(Form):
    what = StringField(_l("Open item"), validators=[Optional(), Length(max=300)])
    next_on = DateField(_l("Next discussion"), validators=[Optional()])


class MinutesForm(FlaskForm):
    summary = TextAreaField(_l("Summary"), validators=[Length(max=5000)])
    items = FieldList(FormField(ItemForm), min_entries=0, max_entries=50)
    actions = LinesField(ActionForm, min_entries=1, max_entries=50)
    open_items = LinesField(OpenItemForm, min_entries=1, max_entries=50)
    files = MultipleFileField(_l("Attachments"))


class FollowUpForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts"), validators=[InputRequired()])


class RoomForm(FlaskForm):
    name = StringField(_l("Room"), validators=[InputRequired(), Length(max=100)])
    location = StringField(_l("Location"), validators=[Length(max=200)])
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(1, 1000)])
