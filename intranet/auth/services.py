"""Passwords, sign-in with temporary lockout, password change and reset."""
from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..errors import N_, Invalid
from ..org.models import User, new_session_token


@dataclass(frozen=True)
class PasswordRules:
    min_length: int
    hash_method: str = "scrypt"
    max_failures: int = 5
    lockout_minutes: int = 15


class LoginFailed(Exception):
    """Sign-in refused. ``reason`` is for the audit log, ``locked_until`` for the message."""

    def __init__(self, reason: str, locked_until: datetime | None = None):
        super().__init__(reason)
        self.reason = reason
        self.locked_until = locked_until


_DUMMY_HASH = generate_password_hash("timing-equaliser", method="pbkdf2:sha256:1000")


def find_login(session: Session, login: str) -> User | None:
    """A user by user name, employee number or e-mail (case-insensitive)."""
    login = (login or "").strip()
    if not login or len(login) > 254:
        return None
    return session.scalar(select(User).where(or_(
        User.username == login, User.employee_no == login, func.lower(User.email) == login.lower())))


def authenticate(session: Session, login: str, password: str, rules: PasswordRules, now: datetime) -> User:
    """Check a sign-in; counts failures and locks the account after too many.

    Each attempt is counted in the database before its password is checked, so
    attempts made at the same moment (on any number of workers) check at most
    ``rules.max_failures`` passwords before the account locks; a locked account
    refuses even the right password until the lock ends. Failures and successes
    are audited; the caller commits in both cases.
    """
    user = find_login(session, login)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")  # same work as a real check
        _fail(session, None, login, "unknown user")
    if user.locked_until and user.locked_until > now:
        _fail(session, user, login, "locked", user.locked_until)
    if not user.active:
        _fail(session, user, login, "inactive")
    attempt = _count_attempt(session, user, now)
    if attempt is None:  # locked by an attempt that ended after this one read the user
        _fail(session, user, login, "locked", session.scalar(select(User.locked_until).where(User.id == user.id)))
    if attempt > rules.max_failures:  # others are being checked; this one would be past the limit
        _fail(session, user, login, "locked after repeated failures", _lock(session, user, rules, now))
    if not user.password_hash or not check_password_hash(user.password_hash, password or ""):
        if attempt >= rules.max_failures:
            _fail(session, user, login, "locked after repeated failures", _lock(session, user, rules, now))
        _fail(session, user, login, "wrong password")
    session.execute(update(User).where(User.id == user.id).values(failed_logins=0, locked_until=None,
                                                                  last_login_at=now),
                    execution_options={"synchronize_session": False})
    session.expire(user, ["failed_logins", "locked_until", "last_login_at"])
    with audit.acting_as(audit.Actor(user.id, user.name, audit.current_actor().ip)):
        audit.record(session, "login", entity="core_user", entity_id=user.id)
    return user


def _count_attempt(session: Session, user: User, now: datetime) -> int | None:
    """Count one more sign-in attempt in a single statement; the attempt's number, or None
    when the account is locked. The row stays locked until the caller commits, so attempts
    on one account are counted, and checked, one after the other."""
    return session.scalar(
        update(User).where(User.id == user.id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=User.failed_logins + 1, locked_until=None).returning(User.failed_logins),
        execution_options={"synchronize_session": False})


def _lock(session: Session, user: User, rules: PasswordRules, now: datetime) -> datetime:
    until = now + timedelta(minutes=rules.lockout_minutes)
    session.execute(update(User).where(User.id == user.id).values(locked_until=until, failed_logins=0),
                    execution_options={"synchronize_session": False})
    return until


def _fail(session: Session, user: User | None, login: str, reason: str, locked_until=None):
    actor = audit.current_actor()
    details = {"login": (login or "")[:64], "reason": reason}
    if locked_until is not None:
        details["locked_until"] = locked_until
    with audit.acting_as(audit.Actor(user.id if user else None, user.name if user else "", actor.ip)):
        audit.record(session, "login_failed", entity="core_user", entity_id=user.id if user else "", details=details)
    raise LoginFailed(reason, locked_until)


def sign_out(session: Session, user: User) -> None:
    """End every session of the user on the server: a new session token no longer matches
    the one inside their session and remember cookies, should anyone replay them."""
    user.session_token = new_session_token()
    audit.record(session, "logout", entity="core_user", entity_id=user.id)


def check_new_password(user: User, password: str, rules: PasswordRules, field: str = "new_password") -> None:
    if len(password) < rules.min_length:
        raise Invalid(N_("Use at least %(count)s characters."), field=field, count=rules.min_length)
    if len(password) > 200:
        raise Invalid(N_("Use at most %(count)s characters."), field=field, count=200)
    if password.lower() in {user.username.lower(), user.employee_no.lower()}:
        raise Invalid(N_("Do not use your user name or employee number as password."), field=field)
    if password.isdigit() or password.isalpha():
        raise Invalid(N_("Mix letters with digits or symbols."), field=field)


def set_password(user: User, password: str, rules: PasswordRules) -> None:
    """Store a new password; other sessions of the user end (new session token)."""
    user.password_hash = generate_password_hash(password, method=rules.hash_method)
    user.session_token = new_session_token()


def change_password(session: Session, user: User, current: str, new: str, rules: PasswordRules) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise Invalid(N_("The current password is wrong."), field="current_password")
    if current == new:
        raise Invalid(N_("Choose a password different from the current one."), field="new_password")
    check_new_password(user, new, rules)
    set_password(user, new, rules)
    user.must_change_password = False
    audit.record(session, "password_changed", entity="core_user", entity_id=user.id)


def reset_password(session: Session, user: User, rules: PasswordRules) -> str:
    """Give a user a temporary password they must change at the next sign-in."""
    alphabet = string.ascii_letters.replace("l", "").replace("I", "").replace("O", "") + "23456789"
    while True:
        temporary = "".join(secrets.choice(alphabet) for _ in range(max(12, rules.min_length)))
        if any(c.isdigit() for c in temporary) and any(c.isalpha() for c in temporary):
            break
    set_password(user, temporary, rules)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, "password_reset", entity="core_user", entity_id=user.id)
    return temporary
