"""Notifications and the reminder job, without Flask."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

from sqlalchemy import String, and_, bindparam, case, cast, literal, null, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..db import utcnow
from ..org.models import User
from ..pagination import count_each_up_to
from .models import Notification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """Something a scanner found that a person must hear about.

    ``key`` identifies the occasion (e.g. ``approvals.overdue:step-12:2026-11-23``);
    the same key is delivered to the same person at most once, however often
    the job runs. ``on_first_delivery`` runs in the same transaction only when
    the reminder is delivered for the first time (record an escalation once).
    """

    key: str
    user_id: int
    message: str
    params: dict = field(default_factory=dict)
    url: str = ""
    module: str = "core"
    body: str = ""
    email: bool = True
    on_first_delivery: Callable[[Session], None] | None = None


@dataclass(frozen=True)
class ScanContext:
    """What a scanner gets: the session, the time, settings, the work calendar,
    a URL builder and the modules switched on."""

    session: Session
    now: datetime
    settings: Any
    calendar: Any
    url_for: Callable[..., str]
    enabled: frozenset = frozenset()


@dataclass(frozen=True)
class ReminderScanner:
    """A deadline scanner a module returns from ``intranet_reminder_scanners``."""

    key: str
    label: Any
    scan: Callable[[ScanContext], Iterable[Reminder]]


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification)


def notify(session: Session, user_ids: Iterable[int], message: str, *, params: dict | None = None,
           url: str = "", module: str = "core", body: str = "", email: bool = True,
           key: str | None = None) -> int:
    """Notify people in-app (and by e-mail when they have an address).

    With ``key``, a person already notified under that key is skipped. Returns
    how many notifications were created.
    """
    ids = sorted({uid for uid in user_ids if uid})
    if not ids:
        return 0
    column = Notification.__table__.c
    has_address = and_(User.email.is_not(None), User.email != "")
    # One INSERT ... SELECT over the recipients' rows, which also says who has an address.
    rows = select(
        User.id, literal(module), literal(message[:300]), literal(params or {}, column.params.type), literal(body),
        literal(url[:500]), literal(f"{key}@") + cast(User.id, String) if key else null(),
        literal(utcnow(), column.created_at.type),
        case((has_address, "pending"), else_="none") if email else literal("none"),
    ).where(User.id.in_(ids)).order_by(User.id)
    statement = _insert(session).from_select(
        ["user_id", "module", "message", "params", "body", "url", "key", "created_at", "email_status"], rows)
    if key:
        statement = statement.on_conflict_do_nothing(index_elements=["key"])
    # RETURNING tells which rows went in (rowcount is not reliable on every driver).
    return len(session.execute(statement.returning(Notification.id)).all())


def deliver(session: Session, reminder: Reminder) -> bool:
    """Deliver one reminder; True when it had not been delivered before."""
    fresh = notify(session, [reminder.user_id], reminder.message, params=reminder.params,
                   url=reminder.url, module=reminder.module, body=reminder.body,
                   email=reminder.email, key=reminder.key) > 0
    if fresh and reminder.on_first_delivery:
        reminder.on_first_delivery(session)
    return fresh


@dataclass
class RunReport:
    delivered: int = 0
    already_sent: int = 0
    failed_scanners: list[str] = field(default_factory=list)


def run_scanners(session: Session, scanners: Iterable[ReminderScanner], ctx: ScanContext) -> RunReport:
    """Run every scanner, each in its own transaction so one failure stops no other."""
    report = RunReport()
    for scanner in scanners:
        try:
            for reminder in scanner.scan(ctx):
                if deliver(session, reminder):
                    report.delivered += 1
                else:
                    report.already_sent += 1
            session.commit()
        except Exception:  # a broken module must not silence the others
            session.rollback()
            log.exception("reminder scanner %s failed", scanner.key)
            report.failed_scanners.append(scanner.key)
    return report


#: The unread notifications of the user ``:user_id``: the menu badge's rows, counted on
#: every page, so built once.
UNREAD = select(Notification.id).where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(session: Session, user_id: int, limit: int) -> int:
    """How many notifications the user has not read, counted no further than ``limit``."""
    return count_each_up_to(session, [UNREAD], {"user_id": user_id}, limit)[0]


def mark_read(session: Session, user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) notification of the user read."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    return session.execute(statement.values(read_at=utcnow())).rowcount
