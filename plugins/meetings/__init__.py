"""会议 Meetings: rooms booked without double bookings, notices sent in time with an .ics file,
absence with a delegate, sign-in by QR code, and minutes approved by the chair whose action items
become tasks (through the tasks module, when it is on)."""
from __future__ import annotations

from sqlalchemy import bindparam, select

from intranet import MenuItem, ModuleInfo, SearchResult, Widget, hookimpl
from intranet import lazy_gettext as _l
from intranet.auth import Permission
from intranet.documents import url_of

from . import demo, reminders
from .documents import MEETING, MINUTES, VIEW_ALL
from .models import ActionItem, AgendaItem, Attendee, Meeting, Minutes, MinutesItem, OpenItem, Room
from .settings import SETTINGS
from .views import MANAGE_ROOMS, MEETINGS, bp, my_meetings

#: The menu badge: minutes waiting to be written by the signed-in minute taker.
MINUTES_TO_WRITE = select(Meeting.id).where(Meeting.minute_taker_id == bindparam("user_id"),
                                            Meeting.status == "sent",
                                            Meeting.id.not_in(select(Minutes.meeting_id)))


@hookimpl
def intranet_module():
    return ModuleInfo(key="meetings", title=_l("Meetings"), version="1.0", icon="calendar", uses=("tasks",),
                      description=_l("Room bookings, meeting notices, sign-in and minutes"))


@hookimpl
def intranet_models():
    return [Room, Meeting, AgendaItem, Attendee, Minutes, MinutesItem, ActionItem, OpenItem]


@hookimpl
def intranet_document_types():
    return [MEETING, MINUTES]


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [Permission(VIEW_ALL, _l("See every meeting"), default_roles=("sysadmin", "general_manager", "ceo")),
            Permission(MANAGE_ROOMS, _l("Manage meeting rooms"), default_roles=("sysadmin",))]


@hookimpl
def intranet_settings():
    return SETTINGS


@hookimpl
def intranet_menu_items(user):
    return [MenuItem(_l("Meetings"), "meetings.meetings", icon="calendar", order=26, badge=MINUTES_TO_WRITE)]


@hookimpl
def intranet_dashboard_widgets(user):
    return [Widget("meetings.mine", _l("My meetings"), "meetings/_widget.html", lambda: my_meetings(user), order=16)]


@hookimpl
def intranet_reminder_scanners():
    return reminders.scanners()


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{m.number} {m.title}", url=url_of(MEETING, m), kind=_l("Meetings"))
            for m in MEETINGS.find(query, user, limit)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)
