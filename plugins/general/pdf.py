"""The printable form 通用审批单."""
from __future__ import annotations

import re

from flask import url_for
from sqlalchemy import select

from intranet.i18n import lazy_gettext as _l
from intranet.pdf import LineTable, PdfTemplate, PrintableDocument, amount, label, latest_approval
from intranet.web import org_chart
from intranet.web.filters import local_datetime

from . import services
from .access import may_see
from .models import GeneralRequest

NUMBER = re.compile(r"^(?P<number>[A-Z]+-\d{4}-\d+)(?:-R(?P<revision>\d+))?$")


def find(session, number: str) -> GeneralRequest | None:
    match = NUMBER.match((number or "").strip())
    if match is None:
        return None
    return session.scalar(select(GeneralRequest).where(GeneralRequest.number == match["number"],
                                                       GeneralRequest.revision == int(match["revision"] or 1)))


def build(document: GeneralRequest) -> PrintableDocument:
    department = org_chart().get(document.department_id)
    fields = [(label("Title"), document.title), (label("Category"), document.category),
              (label("Amount"), amount(document.amount, document.currency)),
              (label("Requester"), f"{document.requester.name} ({document.requester.employee_no})"),
              (label("Department"), department.name if department else ""),
              (label("Created"), local_datetime(document.created_at)),
              (label("Status"), label(document.status.capitalize())),
              (label("Revision"), str(document.revision))]
    tables = []
    if document.attachments:
        tables.append(LineTable(label("Attachments"), (label("File"), label("Size"), label("Fingerprint")),
                                [(a.file.name, f"{a.file.size / 1024:.1f} KB", a.file.sha256[:16])
                                 for a in document.attachments], widths=(4, 1, 2), numeric=(1,)))
    text = [(label("Description"), document.description)] if document.description else []
    return PrintableDocument(title="General request", title_zh="通用审批单", number=document.display_number,
                             fields=fields, tables=tables, text=text)


def superseded_by(session, document: GeneralRequest):
    newer = session.scalar(select(GeneralRequest).where(
        GeneralRequest.number == document.number, GeneralRequest.revision > document.revision,
        GeneralRequest.status == "approved").order_by(GeneralRequest.revision.desc()).limit(1))
    return (newer.display_number, url_for("general.detail", request_id=newer.id)) if newer else None


def pdf_template() -> PdfTemplate:
    return PdfTemplate(key="general.request", title=_l("General request"), load=services.load, find=find,
                       can_view=may_see, build=build, content=services.canonical,
                       approval=lambda session, d: latest_approval(session, services.APPROVAL_TYPE, d.id),
                       superseded_by=superseded_by)
