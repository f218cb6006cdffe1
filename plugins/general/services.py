"""The rules of general requests, without Flask. The document service
(intranet.documents) keeps their life: number, status, submission, approval."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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


def check(data: RequestData, categories: tuple[str, ...]) -> list[Invalid]:
    problems = []
    if not (data.title or "").strip():
        problems.append(Invalid(N_("Enter a title."), field="title"))
    elif len(data.title.strip()) > 200:
        problems.append(Invalid(N_("At most %(count)s characters."), field="title", count=200))
    if data.category not in categories:
        problems.append(Invalid(N_("Choose a category."), field="category"))
    if len(data.description or "") > 10_000:
        problems.append(Invalid(N_("At most %(count)s characters."), field="description", count=10_000))
    if data.amount is not None and not (Decimal(0) <= data.amount < MAX_AMOUNT):
        problems.append(Invalid(N_("Enter an amount such as 5000 or 5000.50."), field="amount"))
    return problems


def _apply(document: GeneralRequest, data: RequestData, categories: tuple[str, ...]) -> None:
    problems = check(data, categories)
    if problems:
        raise problems[0]
    document.title = data.title.strip()
    document.category = data.category
    document.description = (data.description or "").strip()
    document.amount = data.amount


def create(documents: DocumentService, data: RequestData, requester, categories: tuple[str, ...]) -> GeneralRequest:
    document = GeneralRequest()
    _apply(document, data, categories)
    return documents.create(document, requester)


def update(documents: DocumentService, document: GeneralRequest, data: RequestData, actor_id: int,
           categories: tuple[str, ...]) -> GeneralRequest:
    documents.check_editable(document, actor_id)
    _apply(document, data, categories)
    documents.session.flush()
    return document


def request_change(documents: DocumentService, original: GeneralRequest, actor_id: int) -> GeneralRequest:
    """A new revision of an approved request, as a draft to edit and submit; a second
    click finds the revision the first one made."""
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
        return open_revision
    revision = GeneralRequest(revision=original.revision + 1, supersedes_id=original.id, title=original.title,
                              category=original.category, description=original.description,
                              amount=original.amount, currency=original.currency,
                              department_id=original.department_id)
    documents.create(revision, original.requester, number=original.number)
    for attachment in original.attachments:
        session.add(Attachment(type_key=attachment.type_key, document_id=revision.id, file_id=attachment.file_id,
                               created_by_id=actor_id))
    session.flush()
    return revision


def supersede(session: Session, document: GeneralRequest, _approval) -> None:
    """An approved revision replaces the one it changes (called after approval)."""
    if document.supersedes is not None:
        document.supersedes.status = "superseded"


def policy_values(document: GeneralRequest, org) -> dict:
    """What the approval policy may test."""
    department = org.get(document.department_id)
    return {"amount": document.amount, "category": document.category,
            "department": department.code if department else None}


def canonical(document: GeneralRequest) -> dict[str, Any]:
    """What an approval signs: the request's content, attachments by their hash. Kept as it
    was before the module kit, so requests signed then still verify."""
    return {"number": document.number, "revision": document.revision, "title": document.title,
            "category": document.category, "description": document.description,
            "amount": None if document.amount is None else str(document.amount), "currency": document.currency,
            "requester_id": document.requester_id, "department_id": document.department_id,
            "attachments": [a.file.sha256 for a in document.attachments]}


def superseded_by(session: Session, document: GeneralRequest):
    """The approved revision that replaces this one: its number and id, or None."""
    newer = session.scalar(select(GeneralRequest).where(
        GeneralRequest.number == document.number, GeneralRequest.revision > document.revision,
        GeneralRequest.status == "approved").order_by(GeneralRequest.revision.desc()).limit(1))
    return newer
