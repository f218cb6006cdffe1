"""Printing and checking printouts, without Flask."""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..approvals.signatures import content_hash
from ..approvals.models import ApprovalAction, ApprovalRequest, ApprovalStep
from ..audit.capture import jsonable
from ..files import StoredFile
from ..org.models import User
from .content import Letterhead, PdfTemplate, PrintJob, TrailRow
from .models import Printout

log = logging.getLogger(__name__)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: people type these from paper
DECISION_LABELS = {"submit": "提交 Submitted", "resubmit": "重新提交 Resubmitted", "approve": "同意 Approved",
                   "reject": "驳回 Rejected", "return": "退回 Returned", "withdraw": "撤回 Withdrawn",
                   "transfer": "转交 Handed over", "add_signer": "加签 Added signer"}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch in CODE_ALPHABET)[:16]


def trail_hash(approval: ApprovalRequest | None) -> str:
    """Fingerprint of the trail as printed: any later decision changes it."""
    if approval is None:
        return ""
    return hashlib.sha256(f"{approval.id}:{approval.status}:{approval.last_signature}".encode()).hexdigest()


def latest_approval(session: Session, type_key: str, document_id) -> ApprovalRequest | None:
    """The newest approval request of a document (for PdfTemplate.approval)."""
    return session.scalar(select(ApprovalRequest).where(ApprovalRequest.type_key == type_key,
                                                        ApprovalRequest.document_id == str(document_id))
                          .order_by(ApprovalRequest.id.desc()).limit(1))


def trail_rows(session: Session, approval: ApprovalRequest | None, local_time: Callable[[Any], str]) -> list[TrailRow]:
    """The signed decisions of the current round, with each signer's uploaded signature image."""
    if approval is None:
        return []
    actions = session.execute(
        select(ApprovalAction, ApprovalStep.name).outerjoin(ApprovalStep, ApprovalStep.id == ApprovalAction.step_id)
        .where(ApprovalAction.request_id == approval.id, ApprovalAction.action.in_(tuple(DECISION_LABELS)))
        .order_by(ApprovalAction.id)).all()
    ids = {uid for action, _ in actions for uid in (action.actor_id, action.on_behalf_of_id) if uid}
    people = {row.id: row for row in session.execute(
        select(User.id, User.name, User.signature_file_id).where(User.id.in_(ids)))} if ids else {}
    file_ids = {p.signature_file_id for p in people.values() if p.signature_file_id}
    images = dict(session.execute(select(StoredFile.id, StoredFile.data).where(StoredFile.id.in_(file_ids))).all()) \
        if file_ids else {}
    rows = []
    for action, step_name in actions:
        actor = people.get(action.actor_id)
        behalf = people.get(action.on_behalf_of_id)
        rows.append(TrailRow(
            step=step_name or "申请 Request", approver=actor.name if actor else "",
            on_behalf_of=behalf.name if behalf else "", decision=DECISION_LABELS[action.action],
            time=local_time(action.at), comment=action.comment,
            fingerprint=(action.signature or "")[:16],
            signature_image=images.get(actor.signature_file_id) if actor and action.signature else None))
    return rows


@dataclass
class PrintItem:
    template: PdfTemplate
    document: Any


def print_documents(session: Session, items: Iterable[PrintItem], *, printed_by: User | None,
                    letterhead: Letterhead, verify_url: Callable[[str], str],
                    local_time: Callable[[Any], str], seal=None) -> tuple[bytes, list[Printout]]:
    """One PDF of the documents, each recorded as a printout and audited.

    When a company seal is configured but unusable the PDF is made unsigned,
    with a note on every page saying why.
    """
    jobs, printouts = [], []
    signed = seal is not None and seal.configured and seal.status().ok
    for item in items:
        template, document = item.template, item.document
        built = template.build(document)
        approval = template.approval(session, document) if template.approval else None
        code = new_code()
        printout = Printout(code=code, template_key=template.key, document_id=str(document.id),
                            document_number=built.number[:40],
                            content_hash=content_hash(jsonable(template.content(document))),
                            trail_hash=trail_hash(approval), printed_by_id=printed_by.id if printed_by else None,
                            signed=signed)
        session.add(printout)
        printouts.append(printout)
        jobs.append(PrintJob(built, trail_rows(session, approval, local_time), display_code(code), verify_url(code)))
        audit.record(session, "print", module=template.module, entity=template.key, entity_id=document.id,
                     details={"number": built.number, "code": code, "signed": signed})
    from .builder import render  # reportlab loads on the first print, not at start-up

    if seal is not None and seal.configured and not signed:
        letterhead = _unsigned(letterhead, seal.status().message)
    pdf = render(jobs, letterhead)
    if signed:
        try:
            pdf = seal.sign(pdf, reason="打印自企业内网 Printed from the intranet", location=letterhead.company)
        except (RuntimeError, ValueError, OSError) as error:  # print anyway, and say so on the paper
            log.exception("signing the PDF failed")
            for printout in printouts:
                printout.signed = False
            pdf = render(jobs, _unsigned(letterhead, str(error)))
    session.flush()
    return pdf, printouts


def _unsigned(letterhead: Letterhead, reason: str) -> Letterhead:
    return Letterhead(**{**letterhead.__dict__, "note": f"未数字签名 Not digitally signed: {reason[:120]}"})


@dataclass(frozen=True)
class Verdict:
    """What a printout's verification page says."""

    state: str  # matches, changed, trail_changed, superseded, missing
    printout: Printout
    document: Any = None
    superseded_by: tuple[str, str] | None = None


def verify(session: Session, code: str, templates: Mapping[str, PdfTemplate]) -> Verdict | None:
    printout = session.get(Printout, normalise_code(code))
    if printout is None:
        return None
    template = templates.get(printout.template_key)
    document = template.load(session, [printout.document_id]).get(printout.document_id) if template else None
    if document is None:
        return Verdict("missing", printout)
    if content_hash(jsonable(template.content(document))) != printout.content_hash:
        return Verdict("changed", printout, document)
    newer = template.superseded_by(session, document) if template.superseded_by else None
    if newer is not None:
        return Verdict("superseded", printout, document, newer)
    approval = template.approval(session, document) if template.approval else None
    if trail_hash(approval) != printout.trail_hash:
        return Verdict("trail_changed", printout, document)
    return Verdict("matches", printout, document)
