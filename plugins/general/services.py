"""The rules of general requests, without Flask."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intranet import N_, Conflict, Forbidden, Invalid, utcnow
from intranet.numbering import next_number

from .models import GeneralAttachment, GeneralRequest

APPROVAL_TYPE = "general.request"
EDITABLE = ("draft", "returned", "rejected", "withdrawn")
MAX_AMOUNT = Decimal("1e12")


@dataclass
class RequestData:
    title: str
    category: str
    description: str = ""
    amount: Any = None


def parse_amount(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise Invalid(N_("Enter an amount such as 5000 or 5000.50."), field="amount") from None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise Invalid(N_("Enter an amount such as 5000 or 5000.50."), field="amount")
    return value.quantize(Decimal("0.01"))


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
    try:
        data.amount = parse_amount(data.amount)
    except Invalid as problem:
        problems.append(problem)
    return problems


def _apply(document: GeneralRequest, data: RequestData) -> None:
    document.title = data.title.strip()
    document.category = data.category
    document.description = (data.description or "").strip()
    document.amount = data.amount


def create(session: Session, data: RequestData, requester, categories: tuple[str, ...]) -> GeneralRequest:
    problems = check(data, categories)
    if problems:
        raise problems[0]
    document = GeneralRequest(number=next_number(session, "GR", utcnow().year), requester_id=requester.id,
                              department_id=requester.department_id, status="draft")
    _apply(document, data)
    session.add(document)
    session.flush()
    return document


def editable(document: GeneralRequest) -> bool:
    return document.status in EDITABLE


def update(session: Session, document: GeneralRequest, data: RequestData, actor_id: int,
           categories: tuple[str, ...]) -> GeneralRequest:
    if actor_id != document.requester_id:
        raise Forbidden(N_("Only the requester can change this request."))
    if not editable(document):
        raise Conflict(N_("The request is read-only while it is pending or after approval."))
    problems = check(data, categories)
    if problems:
        raise problems[0]
    _apply(document, data)
    session.flush()
    return document


def policy_values(document: GeneralRequest, org) -> dict:
    """What the approval policy may test."""
    department = org.get(document.department_id)
    return {"amount": document.amount, "category": document.category,
            "department": department.code if department else None}


def canonical(document: GeneralRequest) -> dict:
    """What an approval signs: the request's content, attachments by their hash."""
    return {"number": document.number, "revision": document.revision, "title": document.title,
            "category": document.category, "description": document.description,
            "amount": None if document.amount is None else str(document.amount), "currency": document.currency,
            "requester_id": document.requester_id, "department_id": document.department_id,
            "attachments": [a.file.sha256 for a in document.attachments]}


def submit(session: Session, document: GeneralRequest, engine, actor_id: int) -> None:
    """Send a draft (or a request sent back for changes) for approval."""
    if actor_id != document.requester_id:
        raise Forbidden(N_("Only the requester can submit this request."))
    values = policy_values(document, engine.org)
    latest = engine.latest_request(APPROVAL_TYPE, document.id)
    if document.status == "returned" and latest is not None and latest.status == "returned":
        engine.resubmit(latest.id, actor_id, document, values=values, title=document.title, amount=document.amount)
    elif document.status in EDITABLE:
        engine.submit(APPROVAL_TYPE, document, requester_id=actor_id, title=document.title,
                      number=document.display_number, values=values, amount=document.amount,
                      currency=document.currency)
    else:
        raise Conflict(N_("This request cannot be submitted now."))
    document.status, document.submitted_at, document.decided_at = "pending", utcnow(), None
    session.flush()


def request_change(session: Session, original: GeneralRequest, actor_id: int) -> GeneralRequest:
    """A new revision of an approved request, as a draft to edit and submit."""
    if actor_id != original.requester_id:
        raise Forbidden(N_("Only the requester can change this request."))
    if original.status != "approved":
        raise Conflict(N_("Only an approved request is changed through a new revision."))
    open_revision = session.scalar(select(GeneralRequest).where(
        GeneralRequest.supersedes_id == original.id, GeneralRequest.status.in_(EDITABLE + ("pending",))))
    if open_revision is not None:
        return open_revision
    revision = GeneralRequest(number=original.number, revision=original.revision + 1, supersedes_id=original.id,
                              title=original.title, category=original.category, description=original.description,
                              amount=original.amount, currency=original.currency, requester_id=original.requester_id,
                              department_id=original.department_id, status="draft")
    revision.attachments = [type(a)(file_id=a.file_id) for a in original.attachments]
    session.add(revision)
    session.flush()
    return revision


# -- callbacks from the approval engine ----------------------------------------------
def on_approved(session: Session, document: GeneralRequest, approval) -> None:
    document.status, document.decided_at = "approved", approval.decided_at
    if document.supersedes is not None:
        document.supersedes.status = "superseded"


def _decided(status: str):
    def callback(session: Session, document: GeneralRequest, approval) -> None:
        document.status, document.decided_at = status, approval.decided_at
    return callback


on_rejected, on_returned, on_withdrawn = _decided("rejected"), _decided("returned"), _decided("withdrawn")


def load(session: Session, ids: list[str]) -> dict[str, GeneralRequest]:
    """Documents for a page of approval requests, in one round of queries."""
    numeric = [int(i) for i in ids if str(i).isdigit()]
    query = (select(GeneralRequest).where(GeneralRequest.id.in_(numeric))
             .options(selectinload(GeneralRequest.attachments).joinedload(GeneralAttachment.file)))
    return {str(d.id): d for d in session.scalars(query)}
