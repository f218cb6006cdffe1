"""Printing within the app: the letterhead, the seal and the clock of this installation."""
from __future__ import annotations

from flask import current_app, url_for

from ..db import db
from ..files import StoredFile
from ..web.context import calendar, settings
from .content import Letterhead
from .services import print_documents
from .signing import CompanySeal


def seal() -> CompanySeal:
    """The company seal of this app, loaded once per process."""
    if "intranet_seal" not in current_app.extensions:
        current_app.extensions["intranet_seal"] = CompanySeal.from_config(current_app.config)
    return current_app.extensions["intranet_seal"]


def letterhead(printed_by: str, now) -> Letterhead:
    values = settings()
    logo = db.session.get(StoredFile, values["core.company_logo"]) if values["core.company_logo"] else None
    return Letterhead(company=f"{values['core.company_name']} {values['core.company_name_en']}".strip(),
                      printed_by=printed_by, printed_at=local_time(now), font_path=current_app.config["PDF_FONT_PATH"],
                      logo=logo.data if logo else None)


def local_time(moment) -> str:
    return calendar().local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def verify_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}{url_for('pdf.verify', code=code)}"


def print_items(items, user, now):
    """PDF bytes for the items, printed by ``user`` (None: the command line)."""
    who = f"{user.name} ({user.employee_no})" if user else "flask print"
    return print_documents(db.session, items, printed_by=user, letterhead=letterhead(who, now),
                           verify_url=verify_url, local_time=local_time, seal=seal())
