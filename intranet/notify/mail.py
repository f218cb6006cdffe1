"""Sending e-mail notifications through SMTP (run by the reminder job)."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..i18n import force_locale
from ..org.models import User
from ..web.filters import message as translate_message
from .models import Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def _compose(note: Notification, user: User, default_language: str, sender: str) -> EmailMessage:
    with force_locale(user.language or default_language):
        subject = translate_message(note.message, note.params)
    link = f"{current_app.config['PUBLIC_URL'].rstrip('/')}{note.url}" if note.url.startswith("/") else note.url
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = subject, sender, user.email
    mail.set_content("\n\n".join(part for part in (subject, note.body, link) if part))
    return mail


def send_pending(session: Session, default_language: str, limit: int = 500) -> tuple[int, int]:
    """Send waiting e-mails; returns (sent, failed). Without SMTP they are marked "off"."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        session.execute(update(Notification).where(Notification.email_status == "pending")
                        .values(email_status="off"))
        session.commit()
        return 0, 0
    rows = session.execute(select(Notification, User).join(User, User.id == Notification.user_id)
                           .where(Notification.email_status == "pending").order_by(Notification.id)
                           .limit(limit)).all()
    if not rows:
        return 0, 0
    sent = failed = 0
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for note, user in rows:
            note.email_attempts += 1
            try:
                smtp.send_message(_compose(note, user, default_language, config["MAIL_FROM"]))
            except (smtplib.SMTPException, OSError):
                log.exception("could not e-mail notification %s to %s", note.id, user.email)
                failed += 1
                if note.email_attempts >= MAX_ATTEMPTS:
                    note.email_status = "failed"
            else:
                note.email_status = "sent"
                sent += 1
            session.commit()
    return sent, failed
