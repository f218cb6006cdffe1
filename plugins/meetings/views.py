"""Meeting pages: the list, the booking grid, the notice form and page (absence, sign-in, QR code,
.ics), and the minutes with their action items' tasks."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import segno
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from icalendar import Calendar, Event, vCalAddress
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from intranet import db, utcnow
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.documents import (current_documents, document_page, editable_by_me, run_step, save_document, url_of,
                                visible_document)
from intranet.org import people_by_numbers
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, calendar, edit_lines, employee,
                          form_status, options, permission_required, render, settings, signed_in_user, writes)

from . import grid, services
from .documents import MEETING, MEETING_STATUSES, MINUTES
from .forms import AbsenceForm, FollowUpForm, MeetingForm, MinutesForm, RoomForm, SendForm, SignInForm
from .models import Attendee, Meeting, Minutes, Room

bp = Blueprint("meetings", __name__, template_folder="templates")

MEETINGS = ListView(
    "meetings.meetings", MEETING,
    (Field("number"), Field("title", _l("Topic")), Field("starts_at", format="datetime"),
     Field("room.name", _l("Room")),
     Field("chair", format="person"), Field("status", format="status"), Field("short_notice", format="bool")),
    filters=(Filter("status", _l("Status"), choices=MEETING_STATUSES.choices),
             Filter("chair", _l("I chair"), column="chair_id", kind="mine"),
             Filter("starts", _l("Date"), column="starts_at", kind="date")),
    sorts=(Sort("starts", _l("Start"), "starts_at"), NEWEST), search=("title", "number"), selectable=True,
    export="meetings.export")


def link(meeting: Meeting) -> str:
    return url_for("meetings.detail", document_id=meeting.id)


@bp.get("/")
@employee
def meetings():
    return MEETINGS.render("meetings/list.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return MEETINGS.export(fmt)


# -- the booking grid --------------------------------------------------------------
def _day_arg() -> date:
    try:
        return date.fromisoformat((request.args.get("day") or "")[:10])
    except ValueError:
        return calendar().today(utcnow())


def booking_grid(day: date, week: bool) -> dict:
    """Rooms and the day's (or the week's) bookings: two reads whatever the number of rooms."""
    tz, values = calendar().tz, settings()
    first = day - timedelta(days=day.weekday()) if week else day
    days = [first + timedelta(days=i) for i in range(7 if week else 1)]
    start = datetime.combine(days[0], datetime.min.time(), tzinfo=tz).astimezone(timezone.utc)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=tz).astimezone(timezone.utc)
    rooms = db.session.scalars(select(Room).where(Room.active.is_(True)).order_by(Room.name)).all()
    # Only what a cell shows: a week of 50 busy rooms is thousands of bookings.
    booked = db.session.execute(
        select(Meeting.id, Meeting.room_id, Meeting.title, Meeting.starts_at, Meeting.ends_at).where(
            Meeting.room_id.is_not(None), Meeting.status.in_(services.BOOKING), Meeting.room_released_at.is_(None),
            Meeting.starts_at < end, Meeting.ends_at > start).order_by(Meeting.starts_at)).all()
    # Links and labels of up to thousands of cells, built once.
    context = {"day": day, "week": week, "days": days, "previous": day - timedelta(days=7 if week else 1),
               "next": day + timedelta(days=7 if week else 1), "new_url": url_for("meetings.new"),
               "detail_url": url_for("meetings.meetings"), "book_label": _("Book")}
    if week:
        return {**context, "rows": grid.week_rows(rooms, booked, days, tz)}
    labels, rows = grid.day_rows(rooms, booked, day, tz, values["meetings.grid_start_hour"],
                                 values["meetings.grid_end_hour"], context["new_url"])
    return {**context, "labels": labels, "rows": rows}


@bp.get("/rooms")
@employee
def rooms():
    return render("meetings/rooms.html", **booking_grid(_day_arg(), request.args.get("week") == "1"))


MANAGE_ROOMS = "meetings.manage_rooms"


@bp.route("/rooms/manage", methods=["GET", "POST"])
@permission_required(MANAGE_ROOMS)
def manage_rooms():
    """The administration's list of rooms, and a form to add one."""
    form = RoomForm()
    if request.method == "POST" and run_step(form, lambda: services.add_room(
            db.session, form.name.data, form.location.data, form.capacity.data)):
        flash(_("Room added."), "success")
        return redirect(url_for("meetings.manage_rooms"))
    all_rooms = db.session.scalars(select(Room).order_by(Room.name)).all()
    return render("meetings/manage_rooms.html", form=form, rooms=all_rooms, status=form_status(form))


# -- the notice ----------------------------------------------------------------------
def _moment(day, clock) -> datetime | None:
    if day is None or clock is None:
        return None
    return datetime.combine(day, clock, tzinfo=calendar().tz).astimezone(timezone.utc)


def _meeting_data(form: MeetingForm) -> services.MeetingData:
    session = db.session
    chair = people_by_numbers(session, form.chair.data, "chair")
    taker = people_by_numbers(session, form.minute_taker.data, "minute_taker")
    return services.MeetingData(
        title=form.title.data, starts_at=_moment(form.day.data, form.start.data),
        ends_at=_moment(form.day.data, form.end.data), chair_id=chair[0] if chair else None,
        minute_taker_id=taker[0] if taker else None,
        attendee_ids=people_by_numbers(session, form.attendees.data, "attendees"),
        agenda=[services.AgendaData(row["title"] or "", row["minutes"]) for row in form.agenda.data],
        room_id=form.room_id.data, online_link=form.online_link.data or "", materials=form.materials.data or "")


def _room_choices():
    rooms = db.session.execute(select(Room.id, Room.name).where(Room.active.is_(True)).order_by(Room.name)).all()
    return options([("", _("Online only")), *rooms])


def _form_page(meeting: Meeting | None):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = MeetingForm(formdata=formdata, obj=meeting)
    form.room_id.choices = _room_choices()
    tz = calendar().tz
    if request.method == "GET" and meeting is not None:
        local_start, local_end = meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz)
        form.day.data, form.start.data, form.end.data = local_start.date(), local_start.time(), local_end.time()
        form.chair.data, form.minute_taker.data = meeting.chair.employee_no, meeting.minute_taker.employee_no
        form.attendees.data = " ".join(a.user.employee_no for a in meeting.attendees)
    elif request.method == "GET":
        slot = request.args.get("at", "")
        try:
            start = datetime.fromisoformat(slot).astimezone(tz) if slot else None
        except ValueError:
            start = None
        if start is not None:
            form.day.data, form.start.data = start.date(), start.time()
            form.end.data = (start + timedelta(hours=1)).time()
            form.room_id.data = _int(request.args.get("room"))
        form.chair.data = form.minute_taker.data = current_user.employee_no
    if not line_button:
        def apply(documents, document):
            data = _meeting_data(form)
            if document is None:
                return services.create(documents, data, signed_in_user(), settings())
            return services.update(documents, document, data, current_user.id, settings())

        saved = save_document(MEETING, meeting, form, apply)
        if saved is not None:
            return saved
    total = sum((row.get("minutes") or 0) for row in form.agenda.data)
    return render("meetings/form.html", form=form, document=meeting, total=total,
                  status=200 if line_button else form_status(form))


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


@bp.route("/new", methods=["GET", "POST"])
@employee
def new():
    return _form_page(None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit(document_id: int):
    meeting = visible_document(MEETING, document_id)
    if not editable_by_me(MEETING, meeting):
        return redirect(url_of(MEETING, meeting))
    return _form_page(meeting)


def _minutes_of(meeting: Meeting) -> Minutes | None:
    return db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))


def _detail(meeting: Meeting, *, status: int = 200, **forms):
    minutes = _minutes_of(meeting)
    me = current_user.id
    context = dict(send_form=SendForm(), absence_form=AbsenceForm(), sign_in_form=SignInForm(),
                   follow_up_form=FollowUpForm(day=meeting.starts_at.date() + timedelta(days=7),
                                               start=meeting.starts_at.astimezone(calendar().tz).time()))
    context.update({k: v for k, v in forms.items() if v is not None})
    mine = next((a for a in meeting.attendees if a.user_id == me), None)
    deadline = services.notice_deadline(meeting, calendar(), settings())
    return render("meetings/detail.html", **document_page(MEETING, meeting), minutes=minutes, mine=mine,
                  tasks=services.action_tasks(minutes), deadline=deadline,
                  short=calendar().today(utcnow()) > deadline, status=status, **context)


@bp.get("/<int:document_id>")
@employee
def detail(document_id: int):
    return _detail(visible_document(MEETING, document_id))


def _step(document_id: int, form_class, name: str, action):
    """One step on the meeting page: 422 beside the field, 409 for a second click, nothing half-written."""
    meeting = visible_document(MEETING, document_id)
    form = form_class()
    if run_step(form, lambda: action(meeting, form)):
        return redirect(url_of(MEETING, meeting))
    return _detail(visible_document(MEETING, document_id), status=422, **{name: form})


@bp.post("/<int:document_id>/send")
@employee
def send(document_id: int):
    return _step(document_id, SendForm, "send_form", lambda meeting, form: services.send(
        current_documents(), meeting, current_user.id, settings(), reason=form.reason.data, link=link))


@bp.post("/<int:document_id>/cancel")
@employee
def cancel(document_id: int):
    meeting = visible_document(MEETING, document_id)
    services.cancel(current_documents(), meeting, current_user.id)
    db.session.commit()
    return redirect(url_of(MEETING, meeting))


@bp.post("/<int:document_id>/absence")
@employee
def absence(document_id: int):
    def action(meeting, form):
        delegate = people_by_numbers(db.session, form.delegate.data, "delegate")
        services.declare_absence(db.session, meeting, current_user.id, form.reason.data,
                                 delegate[0] if delegate else None, utcnow(), settings())
    return _step(document_id, AbsenceForm, "absence_form", action)


@bp.route("/<int:document_id>/sign-in", methods=["GET", "POST"])
@employee
def sign_in(document_id: int):
    """The page the room's QR code opens: one button signs the reader in. The minute taker signs others in
    from the meeting page."""
    meeting = MEETING.load_one(db.session, document_id) or abort(404)
    if request.method == "GET":
        return render("meetings/sign_in.html", document=meeting, form=SignInForm())
    form = SignInForm()

    def action():
        person = people_by_numbers(db.session, form.person.data, "person") if form.person.data else [current_user.id]
        services.sign_in(db.session, meeting, current_user.id, person[0], utcnow(), settings())

    if run_step(form, action):
        flash(_("Signed in."), "success")
        return redirect(url_of(MEETING, meeting))
    return render("meetings/sign_in.html", document=meeting, form=form, status=422)


@bp.get("/<int:document_id>/qr.svg")
@employee
def qr(document_id: int):
    """The sign-in QR code shown in the room."""
    meeting = visible_document(MEETING, document_id)
    code = segno.make(url_for("meetings.sign_in", document_id=meeting.id, _external=True), error="m")
    picture = io.BytesIO()
    code.save(picture, kind="svg", scale=5, xmldecl=False)
    return picture.getvalue(), 200, {"Content-Type": "image/svg+xml", "Cache-Control": "private, max-age=3600"}


@bp.get("/<int:document_id>/invite.ics")
@employee
def invite(document_id: int):
    """The notice as a calendar invitation (iCalendar), for the attendees' calendars."""
    meeting = visible_document(MEETING, document_id)
    if meeting.status != "sent":
        abort(404)
    cal = Calendar()
    cal.add("prodid", "-//intranet//meetings//ZH")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{meeting.number}@intranet")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", meeting.sent_at or utcnow())
    event.add("location", meeting.room.name if meeting.room else meeting.online_link)
    event.add("description", "\n".join(f"{i + 1}. {a.title} ({a.minutes}')" for i, a in enumerate(meeting.agenda)))
    event.add("url", url_for("meetings.detail", document_id=meeting.id, _external=True))
    organizer = vCalAddress(f"MAILTO:{meeting.chair.email or meeting.chair.username + '@intranet'}")
    organizer.params["cn"] = meeting.chair.name
    event["organizer"] = organizer
    cal.add_component(event)
    return cal.to_ical(), 200, {"Content-Type": "text/calendar; charset=utf-8",
                                "Content-Disposition": f"attachment; filename={meeting.number}.ics"}


@bp.post("/<int:document_id>/follow-up")
@employee
def follow_up(document_id: int):
    """The next meeting of the series, starting from the open items."""
    meeting = visible_document(MEETING, document_id)
    form = FollowUpForm()
    if not form.validate_on_submit():
        return _detail(meeting, status=422, follow_up_form=form)
    nxt = services.follow_up(current_documents(), meeting, signed_in_user(), settings(),
                             _moment(form.day.data, form.start.data))
    db.session.commit()
    return redirect(url_for("meetings.edit", document_id=nxt.id))


# -- minutes -------------------------------------------------------------------------
def _minutes_data(form: MinutesForm) -> services.MinutesData:
    return services.MinutesData(
        summary=form.summary.data or "",
        items=[(row["topic"] or "", row["discussion"] or "", row["decision"] or "") for row in form.items.data],
        actions=[services.ActionData(row["what"] or "", row["owner"] or "", row["due_on"])
                 for row in form.actions.data],
        open_items=[(row["what"] or "", row["next_on"]) for row in form.open_items.data])


def _minutes_form(meeting: Meeting, minutes: Minutes | None):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = MinutesForm(formdata=formdata, obj=minutes)
    if request.method == "GET":
        if minutes is None:
            for item in meeting.agenda:
                form.items.append_entry({"topic": item.title})
        else:
            form.actions.process(None, [{"what": a.what, "owner": a.owner.employee_no, "due_on": a.due_on}
                                        for a in minutes.actions] or [{}])
    if not line_button:
        def apply(documents, document):
            data = _minutes_data(form)
            if document is None:
                return services.file_minutes(documents, meeting, data, signed_in_user(), settings())
            return services.update_minutes(documents, document, data, current_user.id, settings())

        saved = save_document(MINUTES, minutes, form, apply)
        if saved is not None:
            return saved
    return render("meetings/minutes_form.html", form=form, meeting=meeting, document=minutes,
                  status=200 if line_button else form_status(form))


@bp.route("/<int:document_id>/minutes/new", methods=["GET", "POST"])
@employee
def new_minutes(document_id: int):
    meeting = visible_document(MEETING, document_id)
    if current_user.id != meeting.minute_taker_id:
        abort(403)
    existing = _minutes_of(meeting)
    if existing is not None:
        return redirect(url_for("meetings.minutes", document_id=existing.id))
    return _minutes_form(meeting, None)


@bp.route("/minutes/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit_minutes(document_id: int):
    minutes = visible_document(MINUTES, document_id)
    if not editable_by_me(MINUTES, minutes):
        return redirect(url_of(MINUTES, minutes))
    return _minutes_form(minutes.meeting, minutes)


@bp.get("/minutes/<int:document_id>")
@employee
def minutes(document_id: int):
    document = visible_document(MINUTES, document_id)
    return render("meetings/minutes.html", **document_page(MINUTES, document), tasks=services.action_tasks(document))


# -- the dashboard widget ------------------------------------------------------------
def my_meetings(user) -> dict:
    """The person's next meetings, and minutes they still have to write."""
    now = utcnow()
    invited = select(Attendee.meeting_id).where(Attendee.user_id == user.id)
    upcoming = db.session.scalars(select(Meeting).where(Meeting.id.in_(invited), Meeting.status == "sent",
                                                        Meeting.ends_at >= now)
                                  .options(selectinload(Meeting.room)).order_by(Meeting.starts_at).limit(5)).all()
    to_write = db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.minute_taker_id == user.id, Meeting.status == "sent", Meeting.ends_at < now,
        Meeting.id.not_in(select(Minutes.meeting_id))))
    return {"upcoming": upcoming, "to_write": to_write}
