"""The approval type and the printable form that a document type implies.

The module declares its document once (:class:`intranet.documents.DocumentType`);
the core registers what the engine and the printer need from that declaration,
so the loader, the signed content and the labels are given once, not three times.
"""
from __future__ import annotations

from flask import url_for

from ..approvals.types import ApprovalType
from ..i18n import force_locale
from ..pdf import LineTable, PdfTemplate, PrintableDocument, amount, label, latest_approval
from ..web.context import calendar, org_chart
from ..web.fields import Field, present
from .service import decided
from .types import DocumentType

SUMMARY_TEMPLATE = "documents/_summary.html"


def approval_type(kind: DocumentType, can_view) -> ApprovalType:
    spec = kind.approval
    return ApprovalType(
        key=kind.key, title=kind.title, fields=spec.fields, default_policy=spec.default_policy,
        load=kind.load, canonical=kind.signed_content, summary_template=SUMMARY_TEMPLATE,
        url=lambda document: url_for(kind.endpoint, document_id=document.id),
        on_approved=decided(kind, "approved"), on_rejected=decided(kind, "rejected"),
        on_returned=decided(kind, "returned"), on_withdrawn=decided(kind, "withdrawn"),
        content_fields=kind.content_fields())


def pdf_template(kind: DocumentType, can_view) -> PdfTemplate:
    return PdfTemplate(
        key=kind.key, title=kind.title, load=kind.load, find=kind.find, can_view=can_view,
        build=kind.printing.build or (lambda document: printable(kind, document)),
        content=kind.signed_content,
        approval=(lambda session, document: latest_approval(session, kind.key, document.id)) if kind.approval else None,
        superseded_by=kind.superseded_by)


# -- printing ----------------------------------------------------------------------
def paper_value(kind: DocumentType, field: Field, record) -> str:
    """A value as the company's paper forms print it: amounts in yuan, labels in both languages."""
    local = calendar().local
    text = present(field, record, statuses=kind.statuses, org=org_chart(),
                   money=lambda value, currency: amount(value, currency),
                   quantity=lambda value: _plain_number(value), number=lambda value: _plain_number(value),
                   day=lambda value: value.isoformat(), moment=lambda value: local(value).strftime("%Y-%m-%d %H:%M"))
    status = kind.statuses.get(field.read(record)) if field.format == "status" else None
    if status is not None:
        return _both(status.label)
    if field.format == "person" and field.read(record) is not None:
        person = field.read(record)
        return f"{person.name} ({person.employee_no})" if getattr(person, "employee_no", None) else text
    return text


def _plain_number(value) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _both(lazy) -> str:
    """A word of the paper in Chinese and English ("已批准 Approved"), from a lazy translation."""
    with force_locale("zh_CN"):
        chinese = str(lazy)
    with force_locale("en"):
        english = str(lazy)
    return english if chinese == english else f"{chinese} {english}"


def printable(kind: DocumentType, document) -> PrintableDocument:
    form = kind.printing
    fields = [(_both(f.label), paper_value(kind, f, document)) for f in map(kind.field, form.fields)]
    tables = []
    for spec in form.tables:
        columns = [kind.line_field(spec.key, f) for f in spec.fields]
        rows = [tuple(paper_value(kind, f, line) for f in columns) for line in getattr(document, spec.key)]
        numeric = tuple(i for i, f in enumerate(columns) if f.format in ("money", "quantity", "number", "percent"))
        tables.append(LineTable(_both(spec.title), tuple(_both(f.label) for f in columns), rows,
                                widths=spec.widths, numeric=numeric))
    if form.attachments and document.attachments:
        tables.append(LineTable(label("Attachments"), (label("File"), label("Size"), label("Fingerprint")),
                                [(a.file.name, f"{a.file.size / 1024:.1f} KB", a.file.sha256[:16])
                                 for a in document.attachments], widths=(4, 1, 2), numeric=(1,)))
    text = [(_both(f.label), str(f.read(document) or "")) for f in map(kind.field, form.text) if f.read(document)]
    with force_locale("en"):
        title = str(kind.title)
    number = str(getattr(document, "display_number", None) or document.number)
    return PrintableDocument(title=title, title_zh=form.title_zh, number=number, fields=fields, tables=tables,
                             text=text)
