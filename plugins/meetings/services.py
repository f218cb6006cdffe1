"""The rules of meetings 会议, without Flask: bookings that never overlap, notices sent in time,
absence ahead with a delegate, sign-in in the first minutes, minutes within a day approved by the
chair, action items that become tasks (through the tasks module's hook)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from intranet import N_, Conflict, Forbidden, Invalid, ask
from intranet.documents import DocumentService
from intranet.notify import notify
from intranet.org import User

from .models import ActionItem, AgendaItem, Attendee, Meeting, Minutes, MinutesItem, OpenItem, Room

MAX_TEXT = 5000
BOOKING = ("draft", "sent", "closed")  # statuses that hold (or held) a room

Link = Callable[[object], str]


@dataclass
class AgendaData:
    title: str
    minutes: int | None


@dataclass
class MeetingData:
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    chair_id: int | None
    minute_taker_id: int | None
    attendee_ids: list[int] = field(default_factory=list)
    agenda: list[AgendaData] = field(default_factory=list)
    room_id: int | None = None
    online_link: str = ""
    materials: str = ""


def check_agenda(agenda: list[AgendaData], settings) -> list[AgendaData]:
    """At most ``meetings.max_agenda_items`` items of at most ``meetings.max_agenda_minutes`` in total."""
    items = [a for a in agenda if (a.title or "").strip() or a.minutes]
    if not items:
        raise Invalid(N_("Give at least one agenda item."), field="agenda")
    most = settings["meetings.max_agenda_items"]
    if len(items) > most:
        raise Invalid(N_("At most %(count)s agenda items."), field="agenda", count=most)
    for item in items:
        if not (item.title or "").strip() or not item.minutes or item.minutes < 1:
            raise Invalid(N_("Each agenda item needs a topic and its minutes."), field="agenda")
    total, limit = sum(a.minutes for a in items), settings["meetings.max_agenda_minutes"]
    if total > limit:
        raise Invalid(N_("The agenda takes %(total)s minutes; at most %(limit)s."), field="agenda", total=total,
                      limit=limit)
    return items


def check_room_free(session: Session, room_id: int, starts: datetime, ends: datetime,
                    meeting_id: int | None) -> None:
    """Refuse a booking that overlaps another of the same room. The room's row is locked first, so
    of two people booking the same half hour at once the second sees the first's booking."""
    room = session.scalar(select(Room).where(Room.id == room_id, Room.active.is_(True)).with_for_update())
    if room is None:
        raise Invalid(N_("Choose a room."), field="room_id")
    clash = session.scalar(select(Meeting).where(
        Meeting.room_id == room_id, Meeting.status.in_(BOOKING), Meeting.room_released_at.is_(None),
        Meeting.starts_at < ends, Meeting.ends_at > starts, Meeting.id != (meeting_id or 0)).limit(1))
    if clash is not None:
        raise Invalid(N_("%(room)s is booked then for “%(title)s” (%(number)s)."), field="room_id",
                      room=room.name, title=clash.title, number=clash.number)


def _active(session: Session, ids) -> set[int]:
    wanted = {i for i in ids if i}
    return set(session.scalars(select(User.id).where(User.id.in_(wanted), User.active.is_(True)))) if wanted else set()


def _apply(session: Session, meeting: Meeting, data: MeetingData, settings) -> Meeting:
    if not (data.title or "").strip():
        raise Invalid(N_("Give the meeting a topic."), field="title")
    if data.starts_at is None or data.ends_at is None or data.ends_at <= data.starts_at:
        raise Invalid(N_("The meeting must end after it starts."), field="ends_at")
    people = _active(session, [data.chair_id, data.minute_taker_id, *data.attendee_ids])
    if data.chair_id not in people:
        raise Invalid(N_("Name the chair."), field="chair")
    if data.minute_taker_id not in people:
        raise Invalid(N_("Name the minute taker."), field="minute_taker")
    attendees = [i for i in dict.fromkeys(data.attendee_ids)]
    if not attendees:
        raise Invalid(N_("Invite at least one attendee."), field="attendees")
    if not data.room_id and not (data.online_link or "").strip():
        raise Invalid(N_("Book a room or give an online link."), field="room_id")
    link = (data.online_link or "").strip()
    if link and not link.startswith(("https://", "http://")):
        raise Invalid(N_("Give the online link as a web address (https://…)."), field="online_link")
    agenda = check_agenda(data.agenda, settings)
    if data.room_id:
        check_room_free(session, data.room_id, data.starts_at, data.ends_at, meeting.id)
    meeting.title, meeting.starts_at, meeting.ends_at = data.title.strip()[:200], data.starts_at, data.ends_at
    meeting.room_id, meeting.online_link = data.room_id or None, link[:300]
    meeting.chair_id, meeting.minute_taker_id = data.chair_id, data.minute_taker_id
    meeting.materials = (data.materials or "").strip()[:MAX_TEXT]
    meeting.agenda = [AgendaItem(position=i, title=a.title.strip()[:200], minutes=a.minutes)
                      for i, a in enumerate(agenda)]
    known = {a.user_id: a for a in meeting.attendees}
    everyone = list(dict.fromkeys([*attendees, data.chair_id, data.minute_taker_id]))
    meeting.attendees = [known.get(i) or Attendee(user_id=i) for i in everyone]
    return meeting


def create(documents: DocumentService, data: MeetingData, requester, settings, *, previous_id=None) -> Meeting:
    meeting = Meeting(previous_id=previous_id)
    _apply(documents.session, meeting, data, settings)
    return documents.create(meeting, requester)


def update(documents: DocumentService, meeting: Meeting, data: MeetingData, actor_id: int, settings) -> Meeting:
    documents.check_editable(meeting, actor_id)
    _apply(documents.session, meeting, data, settings)
    documents.session.flush()
    return meeting


def notice_deadline(meeting: Meeting, calendar, settings) -> date:
    """The last day the notice may go out without being short notice."""
    day = calendar.local(meeting.starts_at).date()
    for _ in range(settings["meetings.notice_working_days"]):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return day


def send(documents: DocumentService, meeting: Meeting, actor_id: int, settings, *, reason: str = "",
         link: Link | None = None) -> Meeting:
    """Send the notice: at least ``meetings.notice_working_days`` working days ahead, or with a reason
    (marked short notice). Everyone invited hears of it (with an .ics file on the meeting's page)."""
    if actor_id != meeting.requester_id:
        raise Forbidden(N_("Only the person who wrote the notice sends it."))
    calendar, reason = documents.engine.calendar, (reason or "").strip()
    today = calendar.today(documents.now)
    if meeting.starts_at <= documents.now:
        raise Invalid(N_("The meeting has already started."), field="reason")
    late = today > notice_deadline(meeting, calendar, settings)
    if late and not reason:
        raise Invalid(N_("Less than %(days)s working days ahead: say why (it is marked short notice)."),
                      field="reason", days=settings["meetings.notice_working_days"])
    documents.lock(meeting)
    meeting.short_notice, meeting.short_notice_reason = late, reason[:MAX_TEXT] if late else ""
    meeting.sent_at = documents.now
    documents.move(meeting, "sent", actor_id=actor_id)
    notify(documents.session, [a.user_id for a in meeting.attendees if a.user_id != actor_id],
           N_("Meeting notice %(number)s: %(title)s on %(when)s"),
           params={"number": meeting.number, "title": meeting.title,
                   "when": calendar.local(meeting.starts_at).strftime("%Y-%m-%d %H:%M")},
           url=link(meeting) if link else "", module="meetings")
    return meeting


def cancel(documents: DocumentService, meeting: Meeting, actor_id: int) -> Meeting:
    if actor_id not in (meeting.requester_id, meeting.chair_id):
        raise Forbidden(N_("Only the chair cancels the meeting."))
    documents.move(meeting, "cancelled", actor_id=actor_id)
    return meeting


def _attendee(meeting: Meeting, user_id: int) -> Attendee | None:
    return next((a for a in meeting.attendees if a.user_id == user_id), None)


def declare_absence(session: Session, meeting: Meeting, actor_id: int, reason: str, delegate_id: int | None,
                    now: datetime, settings) -> Attendee:
    """An attendee who cannot come says so at least ``meetings.absence_notice_hours`` ahead and names a delegate."""
    attendee = _attendee(meeting, actor_id)
    if attendee is None:
        raise Forbidden(N_("You are not invited to this meeting."))
    if meeting.status != "sent":
        raise Conflict(N_("The notice of this meeting is not out."))
    hours = settings["meetings.absence_notice_hours"]
    if meeting.starts_at - now < timedelta(hours=hours):
        raise Invalid(N_("Absence is declared at least %(hours)s hours ahead."), field="reason", hours=hours)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(N_("Say why you cannot come."), field="reason")
    if not delegate_id or delegate_id == actor_id or delegate_id not in _active(session, [delegate_id]):
        raise Invalid(N_("Name a delegate who comes in your place."), field="delegate")
    if attendee.absent:
        raise Conflict(N_("You have already declared your absence."))
    attendee.absent, attendee.absence_reason, attendee.delegate_id = True, reason[:500], delegate_id
    notify(session, [delegate_id], N_("You attend meeting %(number)s: %(title)s in place of a colleague"),
           params={"number": meeting.number, "title": meeting.title}, module="meetings")
    session.flush()
    return attendee


def sign_in(session: Session, meeting: Meeting, actor_id: int, person_id: int, now: datetime, settings) -> Attendee:
    """Sign a person in: themselves (the QR code in the room) or anyone by the minute taker. Late after
    ``meetings.sign_in_minutes``; the sign-in opens ``meetings.sign_in_opens_minutes`` before the start."""
    if actor_id != person_id and actor_id != meeting.minute_taker_id:
        raise Forbidden(N_("Only the minute taker signs in others."))
    attendee = _attendee(meeting, person_id) or next(
        (a for a in meeting.attendees if a.absent and a.delegate_id == person_id), None)
    if attendee is None:
        raise Invalid(N_("This person is not invited to the meeting."), field="person")
    if meeting.status != "sent":
        raise Conflict(N_("The notice of this meeting is not out."))
    if now < meeting.starts_at - timedelta(minutes=settings["meetings.sign_in_opens_minutes"]):
        raise Invalid(N_("The sign-in opens %(minutes)s minutes before the start."), field="person",
                      minutes=settings["meetings.sign_in_opens_minutes"])
    if now > meeting.ends_at:
        raise Invalid(N_("The meeting is over."), field="person")
    session.refresh(attendee, with_for_update=True)
    if attendee.signed_in_at is not None:
        raise Conflict(N_("Already signed in."))
    attendee.signed_in_at, attendee.signed_in_by_id = now, actor_id
    attendee.late = now > meeting.starts_at + timedelta(minutes=settings["meetings.sign_in_minutes"])
    session.flush()
    return attendee


def release_rooms(session: Session, now: datetime, settings) -> list[Meeting]:
    """Rooms of meetings nobody signed in to ``meetings.release_after_minutes`` after the start become free."""
    limit = now - timedelta(minutes=settings["meetings.release_after_minutes"])
    signed = select(Attendee.meeting_id).where(Attendee.signed_in_at.is_not(None))
    empty = session.scalars(select(Meeting).where(
        Meeting.status == "sent", Meeting.room_id.is_not(None), Meeting.room_released_at.is_(None),
        Meeting.starts_at <= limit, Meeting.ends_at > limit, Meeting.id.not_in(signed))).all()
    for meeting in empty:
        meeting.room_released_at = now
    session.flush()
    return empty


# -- minutes -----------------------------------------------------------------------
@dataclass
class ActionData:
    what: str
    owner: str  # an employee number, as the form sends it
    due_on: date | None


@dataclass
class MinutesData:
    summary: str
    items: list[tuple[str, str, str]]  # topic, discussion, decision
    actions: list[ActionData]
    open_items: list[tuple[str, date | None]]


def _owner(session: Session, text: str, settings) -> int:
    text = (text or "").strip()
    if not text:
        raise Invalid(N_("Each action item needs one named owner and a due date."), field="actions")
    if any(word.lower() in text.lower() for word in settings["meetings.vague_owners"]):
        raise Invalid(N_("“%(owner)s” is not a person: name one owner for each action item."), field="actions",
                      owner=text[:40])
    found = session.scalar(select(User.id).where(User.employee_no == text, User.active.is_(True)))
    if found is None:
        raise Invalid(N_("There is no active employee with number %(number)s."), field="actions", number=text[:32])
    return found


def _apply_minutes(session: Session, minutes: Minutes, data: MinutesData, settings) -> Minutes:
    items = [(t, (d or "").strip(), (c or "").strip()) for t, d, c in data.items]
    if any(not decision for _t, _d, decision in items):
        raise Invalid(N_("Record the decision of every agenda item."), field="items")
    actions = [a for a in data.actions if (a.what or "").strip() or (a.owner or "").strip() or a.due_on]
    rows = []
    for action in actions:
        if not (action.what or "").strip():
            raise Invalid(N_("Say what each action item is."), field="actions")
        owner = _owner(session, action.owner, settings)
        if action.due_on is None:
            raise Invalid(N_("Each action item needs one named owner and a due date."), field="actions")
        rows.append((action.what.strip()[:300], owner, action.due_on))
    open_items = [(w.strip(), d) for w, d in data.open_items if (w or "").strip() or d]
    if any(not w or d is None for w, d in open_items):
        raise Invalid(N_("Each open item needs the date of its next discussion."), field="open_items")
    minutes.summary = (data.summary or "").strip()[:MAX_TEXT]
    minutes.items = [MinutesItem(position=i, topic=t[:200], discussion=d[:MAX_TEXT], decision=c[:MAX_TEXT])
                     for i, (t, d, c) in enumerate(items)]
    minutes.actions = [ActionItem(position=i, what=w, owner_id=o, due_on=d) for i, (w, o, d) in enumerate(rows)]
    minutes.open_items = [OpenItem(position=i, what=w[:300], next_on=d) for i, (w, d) in enumerate(open_items)]
    return minutes


def file_minutes(documents: DocumentService, meeting: Meeting, data: MinutesData, actor, settings) -> Minutes:
    """The minute taker writes the minutes of a meeting whose notice went out; a second click finds the first."""
    if actor.id != meeting.minute_taker_id:
        raise Forbidden(N_("Only the minute taker writes the minutes."))
    if meeting.status != "sent":
        raise Conflict(N_("The notice of this meeting is not out."))
    documents.lock(meeting)
    existing = documents.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    if existing is not None:
        raise Conflict(N_("The minutes of this meeting exist already."))
    minutes = Minutes(meeting_id=meeting.id, chair_id=meeting.chair_id, title=meeting.title,
                      department_id=meeting.department_id)
    _apply_minutes(documents.session, minutes, data, settings)
    return documents.create(minutes, actor)


def update_minutes(documents: DocumentService, minutes: Minutes, data: MinutesData, actor_id: int,
                   settings) -> Minutes:
    documents.check_editable(minutes, actor_id)
    _apply_minutes(documents.session, minutes, data, settings)
    documents.session.flush()
    return minutes


def distribute(session: Session, minutes: Minutes, request) -> None:
    """Run when the chair approves: each action item becomes a task of its owner (when the tasks
    module is on), the minutes go to every attendee, and the meeting is closed."""
    meeting = minutes.meeting
    for action in minutes.actions:
        answer = ask("tasks_create", source=f"meetings.minutes:{minutes.id}:{action.position + 1}",
                     title=action.what, owner_id=action.owner_id, due=action.due_on, requester_id=meeting.chair_id,
                     goal=action.what, acceptance="")
        action.task_id = answer.value if answer.available else None
    now = request.decided_at
    minutes.distributed_at = now
    people = {a.user_id for a in meeting.attendees} | {a.delegate_id for a in meeting.attendees if a.delegate_id}
    notify(session, sorted(people), N_("Minutes of %(title)s (%(number)s) are approved"),
           params={"title": meeting.title, "number": minutes.number}, module="meetings")
    meeting.status = "closed"
    session.flush()


def action_tasks(minutes: Minutes | None) -> dict:
    """The tasks made from the minutes' action items: ``{"available": bool, "tasks": [...]}``."""
    if minutes is None:
        return {"available": True, "tasks": []}
    answer = ask("tasks_of_source", prefix=f"meetings.minutes:{minutes.id}:")
    return {"available": answer.available, "tasks": answer.value or []}


def follow_up(documents: DocumentService, meeting: Meeting, actor, settings, starts_at: datetime) -> Meeting:
    """The next meeting of a series, as a draft: same people and room, its agenda the open items."""
    minutes = documents.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    open_items = minutes.open_items if minutes else []
    most = settings["meetings.max_agenda_items"]
    each = max(1, settings["meetings.max_agenda_minutes"] // max(1, min(len(open_items), most)))
    agenda = ([AgendaData(item.what[:200], min(each, 30)) for item in open_items[:most]]
              or [AgendaData(meeting.title, 30)])
    length = meeting.ends_at - meeting.starts_at
    data = MeetingData(title=meeting.title, starts_at=starts_at, ends_at=starts_at + length, chair_id=meeting.chair_id,
                       minute_taker_id=meeting.minute_taker_id,
                       attendee_ids=[a.user_id for a in meeting.attendees], agenda=agenda, room_id=None,
                       online_link=meeting.online_link or "https://meeting.example.com/follow-up",
                       materials=meeting.materials)
    return create(documents, data, actor, settings, previous_id=meeting.id)



def add_room(session: Session, name: str, location: str, capacity: int) -> Room:
    """A new room; names are unique so that people can tell rooms apart."""
    name = (name or "").strip()
    if not name:
        raise Invalid(N_("Give the room a name."), field="name")
    if session.scalar(select(Room.id).where(Room.name == name)) is not None:
        raise Invalid(N_("There is a room of this name already."), field="name")
    room = Room(name=name[:100], location=(location or "").strip()[:200], capacity=capacity)
    session.add(room)
    session.flush()
    return room
