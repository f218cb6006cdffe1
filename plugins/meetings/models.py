"""Meetings 会议: rooms and their bookings, notices 会议通知 with agenda and attendees,
absence and sign-in, and minutes 会议纪要 whose action items become tasks."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model
from intranet import lazy_gettext as _l
from intranet.documents import Document
from intranet.org import User


class Room(Model):
    """会议室: a room people book by the half hour."""

    __tablename__ = "meetings_room"
    __label__ = _l("Meeting room")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int] = mapped_column(Integer, default=10)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Meeting(Document, Model):
    """会议通知: topic, time, room or online link, chair 主持人, minute taker 记录人, attendees and agenda.
    The requester is whoever sends the notice (usually the chair)."""

    __tablename__ = "meetings_meeting"
    __document_type__ = "meetings.meeting"
    __label__ = _l("Meeting notice")
    __labels__ = {"starts_at": _l("Starts"), "ends_at": _l("Ends"), "room_id": _l("Room"), "room": _l("Room"),
                  "online_link": _l("Online link"), "chair_id": _l("Chair"), "chair": _l("Chair"),
                  "minute_taker_id": _l("Minute taker"), "minute_taker": _l("Minute taker"),
                  "materials": _l("Materials"), "short_notice": _l("Short notice"),
                  "short_notice_reason": _l("Reason for the short notice"), "previous_id": _l("Follows"),
                  "sent_at": _l("Sent"), "room_released_at": _l("Room released")}
    __extra_table_args__ = (
        # The booking grid and the double-booking check read a room's meetings by time.
        Index("ix_meetings_meeting_room_starts", "room_id", "starts_at", "id"),
        Index("ix_meetings_meeting_starts", "starts_at", "id"),
        Index("ix_meetings_meeting_chair_starts", "chair_id", "starts_at", "id"),
        Index("ix_meetings_meeting_requester_starts", "requester_id", "starts_at", "id"),
        Index("ix_meetings_meeting_department_starts", "department_id", "starts_at", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    room_id: Mapped[int | None] = mapped_column(ForeignKey("meetings_room.id"))
    online_link: Mapped[str] = mapped_column(String(300), default="")
    chair_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    minute_taker_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    materials: Mapped[str] = mapped_column(Text, default="")
    short_notice: Mapped[bool] = mapped_column(Boolean, default=False)
    short_notice_reason: Mapped[str] = mapped_column(Text, default="")
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("meetings_meeting.id"))
    sent_at: Mapped[datetime | None] = mapped_column()
    room_released_at: Mapped[datetime | None] = mapped_column()

    room: Mapped[Room | None] = relationship()
    chair: Mapped[User] = relationship(foreign_keys=[chair_id])
    minute_taker: Mapped[User] = relationship(foreign_keys=[minute_taker_id])
    agenda: Mapped[list["AgendaItem"]] = relationship(order_by="AgendaItem.position", cascade="all, delete-orphan")
    attendees: Mapped[list["Attendee"]] = relationship(order_by="Attendee.id", cascade="all, delete-orphan")


class AgendaItem(Model):
    """议程: one item of the agenda with the minutes it may take."""

    __tablename__ = "meetings_agenda"
    __label__ = _l("Agenda item")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings_meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)


class Attendee(Model):
    """参会人: invited; may declare absence with a delegate; signs in (late after the grace minutes)."""

    __tablename__ = "meetings_attendee"
    __label__ = _l("Attendee")
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"), Index("ix_meetings_attendee_user", "user_id", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings_meeting.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    absence_reason: Mapped[str] = mapped_column(String(500), default="")
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    signed_in_at: Mapped[datetime | None] = mapped_column()
    signed_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    late: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    delegate: Mapped[User | None] = relationship(foreign_keys=[delegate_id])


class Minutes(Document, Model):
    """会议纪要: per agenda item the discussion and decision, action items and open items;
    filed by the minute taker, approved by the chair, then sent to every attendee."""

    __tablename__ = "meetings_minutes"
    __document_type__ = "meetings.minutes"
    __label__ = _l("Minutes")
    __labels__ = {"meeting_id": _l("Meeting"), "chair_id": _l("Chair"), "summary": _l("Summary"),
                  "distributed_at": _l("Sent to attendees")}
    __extra_table_args__ = (UniqueConstraint("meeting_id"),)

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings_meeting.id"))
    chair_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    distributed_at: Mapped[datetime | None] = mapped_column()

    meeting: Mapped[Meeting] = relationship()
    chair: Mapped[User] = relationship(foreign_keys=[chair_id])
    items: Mapped[list["MinutesItem"]] = relationship(order_by="MinutesItem.position", cascade="all, delete-orphan")
    actions: Mapped[list["ActionItem"]] = relationship(order_by="ActionItem.position", cascade="all, delete-orphan")
    open_items: Mapped[list["OpenItem"]] = relationship(order_by="OpenItem.position", cascade="all, delete-orphan")


class MinutesItem(Model):
    """One agenda item's discussion 讨论 and decision 决议."""

    __tablename__ = "meetings_minutes_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("meetings_minutes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    topic: Mapped[str] = mapped_column(String(200))
    discussion: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")


class ActionItem(Model):
    """待办事项: what, one named owner and a due date; becomes a task when the minutes are approved."""

    __tablename__ = "meetings_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("meetings_minutes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    due_on: Mapped[date] = mapped_column(Date)
    task_id: Mapped[int | None] = mapped_column(Integer)

    owner: Mapped[User] = relationship()


class OpenItem(Model):
    """遗留事项: not settled, with the date of its next discussion; the next meeting starts from it."""

    __tablename__ = "meetings_open_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("meetings_minutes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(String(300))
    next_on: Mapped[date] = mapped_column(Date)
