"""The rules of general requests, without Flask. The document service
(intranet.documents) keeps their life: number, status, submission, approval."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intranet import N_, Conflict, Forbidden, Invalid
from intranet.documents import Attachment, DocumentService

from .models import GeneralRequest

MAX_AMOUNT = Decimal("1e12")


@dataclass
class RequestData:
    title: str
    category: str
    description: str = ""
    amount: Decimal | None = None


def _apply(document: GeneralRequest, data: RequestData, categories: tuple[str, ...]) -> GeneralRequest:
    """The request's fields from ``data``; lengths are the form's to check, the rules are here."""
    if not (data.title or "").strip():
        raise Invalid(N_("Enter a title."), field="title")
    if data.category not in categories:
        raise Invalid(N_("Choose a category."), field="category")
    if data.amount is not None and not Decimal(0) <= data.amount < MAX_AMOUNT:
        raise Invalid(N_("Enter an amount such as 5000 or 5000.50."), field="amount")
    document.title, document.category = data.title.strip()[:200], data.category
    document.description, document.amount = (data.description or "").strip(), data.amount
    return document


def create(documents: DocumentService, data: RequestData, requester, categories: tuple[str, ...]) -> GeneralRequest:
    return documents.create(_apply(GeneralRequest(), data, categories), requester)


def update(documents: DocumentService, document: GeneralRequest, data: RequestData, actor_id: int,
           categories: tuple[str, ...]) -> GeneralRequest:
    documents.check_editable(document, actor_id)
    _apply(document, data, categories)
    documents.session.flush()
    return document


def request_change(documents: DocumentService, original: GeneralRequest, actor_id: int) -> GeneralRequest:
    """A new revision of an approved request, as a draft to edit and submit. A second click
    (or a second session at the same moment: the original's row is locked) gets a Conflict
    naming the revision the first one made."""
    session = documents.session
    if actor_id != original.requester_id:
        raise Forbidden(N_("Only the requester can change this request."))
    documents.lock(original)
    if original.status != "approved":
        raise Conflict(N_("Only an approved request is changed through a new revision."))
    open_revision = session.scalar(select(GeneralRequest).where(
        GeneralRequest.supersedes_id == original.id,
        GeneralRequest.status.in_((*documents.kind(original).statuses.editable_keys(), "pending"))))
    if open_revision is not None:
        raise Conflict(N_("This request is already being changed: revision %(number)s is open."),
                       number=open_revision.display_number)
    revision = GeneralRequest(revision=original.revision + 1, supersedes_id=original.id, title=original.title,
                              category=original.category, description=original.description,
                              amount=original.amount, currency=original.currency,
                              department_id=original.department_id)
    documents.create(revision, original.requester, number=original.number)
    session.add_all(Attachment(type_key=a.type_key, document_id=revision.id, file_id=a.file_id, created_by_id=actor_id)
                    for a in original.attachments)
    session.flush()
    return revision


def supersede(session: Session, document: GeneralRequest, _approval) -> None:
    """An approved revision replaces the one it changes (run after approval)."""
    if document.supersedes is not None:
        document.supersedes.status = "superseded"


def policy_values(document: GeneralRequest, org) -> dict:
    """What the approval policy may test."""
    department = org.get(document.department_id)
    return {"amount": document.amount, "category": document.category,
            "department": department.code if department else None}


def newer_approved(session: Session, document: GeneralRequest) -> GeneralRequest | None:
    """The approved revision that replaces this one, if any."""
    return session.scalar(select(GeneralRequest).where(
        GeneralRequest.number == document.number, GeneralRequest.revision > document.revision,
        GeneralRequest.status == "approved").order_by(GeneralRequest.revision.desc()).limit(1))
