"""Task forms: the task itself with its milestones, and the owner's and requester's steps."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Form, IntegerField, MultipleFileField, RadioField, StringField, \
    TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from intranet import lazy_gettext as _l
from intranet.web import LinesField, options


class MilestoneForm(Form):
    """One milestone row (no CSRF per line)."""

    title = StringField(_l("Milestone"), validators=[Optional(), Length(max=200)])
    due_on = DateField(_l("Date"), validators=[Optional()])
    done = BooleanField(_l("Reached"))


class TaskForm(FlaskForm):
    title = StringField(_l("Task name"), validators=[InputRequired(), Length(max=200)])
    owner = StringField(_l("Owner (employee number)"), validators=[InputRequired(), Length(max=32)])
    helpers = StringField(_l("Helpers (employee numbers)"), validators=[Length(max=400)])
    start_on = DateField(_l("Start"), validators=[Optional()])
    due_on = DateField(_l("Due"), validators=[InputRequired()])
    goal = TextAreaField(_l("Goal"), validators=[Length(max=5000)])
    acceptance = TextAreaField(_l("Acceptance standard"), validators=[Length(max=5000)])
    depends_on = StringField(_l("Waits for (task numbers)"), validators=[Length(max=400)])
    milestones = LinesField(MilestoneForm, min_entries=1, max_entries=50)
    files = MultipleFileField(_l("Attachments"))


class ProgressForm(FlaskForm):
    progress = IntegerField(_l("Progress %"), validators=[InputRequired(), NumberRange(0, 100)])
    stage = StringField(_l("Stage"), validators=[Length(max=100)])


class DeliverForm(FlaskForm):
    note = TextAreaField(_l("Deliverable"), validators=[Length(max=5000)])
    files = MultipleFileField(_l("Deliverable files"))


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=options([("accept", _l("Accept")),
                                                           ("refuse", _l("Refuse: changes required"))]),
                          validators=[InputRequired()])
    comment = TextAreaField(_l("Acceptance comment"), validators=[Length(max=5000)])


class DelayForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the delay"), validators=[InputRequired(), Length(max=5000)])
    plan = TextAreaField(_l("New plan"), validators=[InputRequired(), Length(max=5000)])
    new_due_on = DateField(_l("New due date"), validators=[InputRequired()])
    shift_milestones = BooleanField(_l("Move the open milestones by the same days"), default=True)
