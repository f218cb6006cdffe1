"""The life of a document, the same for every module: create, edit, submit, resubmit,
withdraw, and the module's own moves. No Flask here; views build a
:class:`DocumentService` per request with :func:`intranet.documents.current_documents`.

Every state change first locks the document's row and reads its status again, so
of two people pressing the same button at once one wins and the other gets a
Conflict (409) with nothing written.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..approvals.engine import OPEN, ApprovalEngine
from ..approvals.models import ApprovalRequest
from ..db import utcnow
from ..errors import N_, Conflict, Forbidden, NotFound
from ..events import DocumentEvent
from ..numbering import issue_number
from .types import DocumentType

READ_ONLY = N_("The document is read-only while it is pending or after approval.")


class DocumentService:
    def __init__(self, session: Session, *, types: Mapping[str, DocumentType], engine: ApprovalEngine,
                 settings, now: datetime | None = None):
        self.session, self.types, self.engine, self.settings = session, types, engine, settings
        self.now = now or engine.now or utcnow()

    # -- types --------------------------------------------------------------------
    def kind(self, document) -> DocumentType:
        key = document if isinstance(document, str) else getattr(type(document), "__document_type__", "")
        kind = self.types.get(key)
        if kind is None:
            raise NotFound(N_("There is no document type %(key)s."), key=key)
        return kind

    # -- creating -----------------------------------------------------------------
    def create(self, document, requester, *, number: str | None = None) -> Any:
        """Give a new document its number, requester, department and first status."""
        kind = self.kind(document)
        document.requester_id = requester.id
        if document.department_id is None:
            document.department_id = requester.department_id
        document.status = kind.statuses.initial
        document.number = number or self.next_number(kind, document)
        self.session.add(document)
        self.session.flush()
        self._emit("created", kind, document, actor_id=requester.id, new_status=document.status)
        return document

    def next_number(self, kind: DocumentType, document) -> str:
        series = kind.numbering
        if series is None:
            raise ValueError(f"{kind.key} has no number series; pass number=")
        fmt = self.settings.get(f"{kind.key}.number_format") or series.format
        values = kind.number_values(document) if kind.number_values else {}
        return issue_number(self.session, kind.key, fmt, prefix=series.prefix, at=self.now,
                            tz=self.engine.calendar.tz, values=values)

    # -- editing ------------------------------------------------------------------
    def editable(self, document) -> bool:
        return self.kind(document).statuses.editable(document.status)

    def check_editable(self, document, actor_id: int) -> None:
        """Only the requester changes a document, and only while it is editable."""
        if actor_id != document.requester_id:
            raise Forbidden(N_("Only the requester can change this document."))
        if not self.editable(document):
            raise Conflict(READ_ONLY)

    def lock(self, document) -> Any:
        """Lock the document's row and read it again (the status may have moved meanwhile).

        What this unit of work changed is written first: a refresh would otherwise drop it.
        """
        self.session.flush()
        self.session.refresh(document, with_for_update=True)
        return document

    # -- approval -----------------------------------------------------------------
    def latest_approval(self, document) -> ApprovalRequest | None:
        return self.engine.latest_request(self.kind(document).key, document.id)

    def submit(self, document, actor_id: int, *, comment: str = "") -> ApprovalRequest:
        """Send a draft (or a returned, rejected or withdrawn document) for approval."""
        kind = self.kind(document)
        if kind.approval is None:
            raise Conflict(N_("Documents of this kind are not approved."))
        if actor_id != document.requester_id:
            raise Forbidden(N_("Only the requester can submit this document."))
        self.lock(document)
        before = document.status
        if not kind.statuses.can_move(before, "pending"):
            raise Conflict(N_("This document cannot be submitted now: it is “%(status)s”."),
                           status=kind.statuses.name_of(before))
        values = kind.approval.values(document, self.engine.org)
        title = self.title_of(document)
        latest = self.engine.latest_request(kind.key, document.id)
        if before == "returned" and latest is not None and latest.status == "returned":
            approval = self.engine.resubmit(latest.id, actor_id, document, values=values, title=title,
                                            amount=values.get("amount"), comment=comment)
            name = "resubmitted"
        else:
            approval = self.engine.submit(kind.key, document, requester_id=actor_id, title=title,
                                          number=self.display_number(document), values=values,
                                          amount=values.get("amount"),
                                          currency=getattr(document, "currency", None) or "CNY")
            name = "submitted"
        document.status, document.submitted_at, document.decided_at = "pending", self.now, None
        self.session.flush()
        self._emit(name, kind, document, actor_id=actor_id, old_status=before, new_status="pending",
                   approval=approval)
        return approval

    def withdraw(self, document, actor_id: int, *, reason: str = "") -> ApprovalRequest:
        """Take a pending (or returned) document back; the engine moves it to withdrawn."""
        self.lock(document)
        latest = self.latest_approval(document)
        if latest is None or latest.status not in OPEN:
            raise Conflict(N_("Only a document waiting for approval can be withdrawn."))
        return self.engine.withdraw(latest.id, actor_id, reason=reason)

    # -- the module's own moves ---------------------------------------------------
    def move(self, document, target: str, *, actor_id: int | None = None) -> None:
        """Move a document to ``target`` along its declared moves (an order received, a task done)."""
        kind = self.kind(document)
        self.lock(document)
        before = document.status
        kind.statuses.check_move(before, target)
        document.status = target
        self.session.flush()
        self._emit("status_changed", kind, document, actor_id=actor_id, old_status=before, new_status=target)

    # -- helpers ------------------------------------------------------------------
    @staticmethod
    def title_of(document) -> str:
        return str(getattr(document, "title", None) or document.number)

    @staticmethod
    def display_number(document) -> str:
        return str(getattr(document, "display_number", None) or document.number)

    def requests_of(self, document) -> list[ApprovalRequest]:
        """Every approval request of the document, oldest first."""
        return list(self.session.scalars(select(ApprovalRequest).where(
            ApprovalRequest.type_key == self.kind(document).key, ApprovalRequest.document_id == str(document.id))
            .order_by(ApprovalRequest.id)))

    def _emit(self, name: str, kind: DocumentType, document, **values) -> None:
        self.engine.events.emit(DocumentEvent(name, kind.key, document, self.session, self.now, **values))


def decided(kind: DocumentType, decision: str):
    """The engine's callback for one decision: move the document along its declared moves,
    then run the module's own follow-up (issue an order, book stock)."""
    target = kind.approval.approved if decision == "approved" else decision

    def callback(session: Session, document, request) -> None:
        kind.statuses.check_move(document.status, target)
        document.status, document.decided_at = target, request.decided_at
        after = kind.approval.after.get(decision)
        if after is not None:
            after(session, document, request)

    return callback
