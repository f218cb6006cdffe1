"""Deadline scanners of meetings: minutes due within a day of the meeting (the minute taker, then the
chair), and rooms nobody came to, released for others."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from intranet import N_
from intranet import lazy_gettext as _l
from intranet.notify import Reminder, ReminderScanner

from . import services
from .models import Meeting, Minutes


def scanners() -> list[ReminderScanner]:
    def minutes_due(ctx):
        hours = ctx.settings["meetings.minutes_due_hours"]
        filed = select(Minutes.meeting_id).where(Minutes.status.in_(("pending", "approved")))
        ended = ctx.session.scalars(select(Meeting).where(
            Meeting.status == "sent", Meeting.ends_at <= ctx.now, Meeting.id.not_in(filed))
            .order_by(Meeting.ends_at)).all()
        for meeting in ended:
            due = meeting.ends_at + timedelta(hours=hours)
            params = {"number": meeting.number, "title": meeting.title}
            url = ctx.url_for("meetings.detail", document_id=meeting.id)
            yield Reminder(key=f"meetings.minutes:{meeting.id}", user_id=meeting.minute_taker_id, module="meetings",
                           message=N_("Write the minutes of %(title)s (%(number)s)"), params=params, url=url)
            if ctx.now > due and meeting.chair_id != meeting.minute_taker_id:
                yield Reminder(key=f"meetings.minutes.late:{meeting.id}", user_id=meeting.chair_id,
                               module="meetings", params=params, url=url,
                               message=N_("The minutes of %(title)s (%(number)s) are late"))

    def release(ctx):
        for meeting in services.release_rooms(ctx.session, ctx.now, ctx.settings):
            yield Reminder(key=f"meetings.released:{meeting.id}", user_id=meeting.chair_id, module="meetings",
                           message=N_("Nobody signed in to %(title)s: the room is released"),
                           params={"title": meeting.title}, url=ctx.url_for("meetings.detail", document_id=meeting.id))

    return [ReminderScanner("meetings.minutes", _l("Minutes due"), minutes_due),
            ReminderScanner("meetings.release", _l("Empty rooms released"), release)]


