"""The meeting notice and the minutes as declared documents."""
from __future__ import annotations

from sqlalchemy import select

from intranet import N_, force_locale, gettext
from intranet import lazy_gettext as _l
from intranet.approvals import PolicyField
from intranet.documents import (APPROVAL_STATUSES, Approval, DocumentType, Field, LineTableSpec, NumberSeries,
                                PrintForm, Scope, ScopeRule, Status, StatusSet)

from . import services
from .models import Attendee, Meeting, Minutes

VIEW_ALL = "meetings.view_all"

#: 草稿 → 已发通知 → 已结束 (minutes approved); a notice may be cancelled.
MEETING_STATUSES = StatusSet(
    (Status("draft", _l("Draft"), "muted", editable=True), Status("sent", _l("Notice sent"), "info"),
     Status("closed", _l("Closed"), "ok"), Status("cancelled", _l("Cancelled"), "muted")),
    {"draft": ("sent", "cancelled"), "sent": ("closed", "cancelled")})


def _attends(user, model):
    meeting_id = model.id if model is Meeting else model.meeting_id
    invited = select(Attendee.meeting_id).where((Attendee.user_id == user.id) | (Attendee.delegate_id == user.id))
    return (model.chair_id == user.id) | meeting_id.in_(invited) | (
        (model.minute_taker_id == user.id) if model is Meeting else False)


def _attends_record(user, record) -> bool:
    meeting = record if isinstance(record, Meeting) else record.meeting
    return user.id in (meeting.chair_id, meeting.minute_taker_id) or any(
        user.id in (a.user_id, a.delegate_id) for a in meeting.attendees)


#: Everyone invited (and their delegates), the chair and the minute taker see the meeting and its minutes.
PARTICIPANTS = ScopeRule(clause=_attends, allows=_attends_record)

AGENDA_FIELDS = (Field("title", _l("Agenda item")), Field("minutes", _l("Minutes"), "number"))

MEETING = DocumentType(
    model=Meeting, title=_l("Meeting notice"), endpoint="meetings.detail", edit_endpoint="meetings.edit",
    numbering=NumberSeries(prefix="MT"), statuses=MEETING_STATUSES, lines=("agenda",),
    unsigned=("room_released_at", "sent_at"),
    scope=Scope(widen=VIEW_ALL, also=(PARTICIPANTS,)),
    printing=PrintForm(
        title_zh="会议通知",
        fields=("title", Field("starts_at", format="datetime"), Field("ends_at", format="datetime"),
                Field("room.name", _l("Room")), "online_link", Field("chair", format="person"),
                Field("minute_taker", format="person"), Field("short_notice", format="bool"), "short_notice_reason"),
        tables=(LineTableSpec("agenda", _l("Agenda"), AGENDA_FIELDS),), text=("materials",)))


def minutes_policy(settings) -> list[dict]:
    """The chair approves the minutes (the handbook: 主持人审批)."""
    with force_locale(settings["core.default_language"]):
        name = gettext(N_("Chair"))
    return [{"label": "", "conditions": [], "steps": [
        {"name": name, "approvers": {"kind": "person", "value": "chair"}, "mode": "any",
         "due": {"amount": settings["meetings.distribution_working_days"], "unit": "days"}}]}]


def minutes_values(minutes: Minutes, org) -> dict:
    department = org.get(minutes.department_id)
    return {"chair": minutes.chair_id, "department": department.code if department else None}


MINUTES = DocumentType(
    model=Minutes, title=_l("Minutes"), endpoint="meetings.minutes", edit_endpoint="meetings.edit_minutes",
    numbering=NumberSeries(prefix="MM"), statuses=APPROVAL_STATUSES, lines=("items", "actions", "open_items"),
    unsigned=("distributed_at",),
    scope=Scope(widen=VIEW_ALL, approvers="meetings.minutes", also=(PARTICIPANTS,)),
    approval=Approval(fields=(PolicyField("chair", _l("Chair"), "person"),
                              PolicyField("department", _l("Department"), "department")),
                      default_policy=minutes_policy, values=minutes_values,
                      summary=(Field("meeting.title", _l("Meeting")),),
                      after={"approved": services.distribute}),
    printing=PrintForm(
        title_zh="会议纪要",
        fields=("title", Field("meeting.number", _l("Meeting")), Field("chair", format="person"),
                Field("requester", _l("Minute taker"), "person"), Field("distributed_at", format="datetime")),
        tables=(LineTableSpec("items", _l("Discussion and decisions"),
                              (Field("topic", _l("Agenda item")), Field("discussion", _l("Discussion")),
                               Field("decision", _l("Decision")))),
                LineTableSpec("actions", _l("Action items"),
                              (Field("what", _l("Action")), Field("owner", _l("Owner"), "person"),
                               Field("due_on", _l("Due"), "date"))),
                LineTableSpec("open_items", _l("Open items"),
                              (Field("what", _l("Open item")), Field("next_on", _l("Next discussion"), "date")))),
        text=("summary",)))
