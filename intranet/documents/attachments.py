"""Files and comments on any document (and on any of its lines), and the timeline
that shows them with the approval trail and the change history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..approvals.models import ApprovalAction, ApprovalRequest
from ..audit.models import AuditEntry
from ..errors import N_, Invalid, NotFound
from ..files import FileRules, read_image, save_upload
from ..org.models import User
from .models import Attachment, Comment
from .types import DocumentType

MAX_COMMENT = 2000


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its name and bytes (read up to the size limit plus one)."""

    filename: str
    data: bytes


def attach(session: Session, kind: DocumentType, document, upload: Upload, *, rules: FileRules,
           user_id: int | None, line_id: int | None = None, slot: str = "", comment_id: int | None = None,
           images_only: bool = False, field: str = "files") -> Attachment:
    """Store an upload and attach it to the document (or one of its lines, or a comment).

    ``images_only`` accepts PNG and JPEG images that really are images (a photo per receipt line).
    """
    if images_only:
        read_image(upload.data, field=field, max_bytes=rules.max_bytes)
    stored = save_upload(session, filename=upload.filename, data=upload.data, rules=rules, created_by_id=user_id,
                         field=field)
    attachment = Attachment(type_key=kind.key, document_id=document.id, line_id=line_id, slot=slot[:40],
                            comment_id=comment_id, file_id=stored.id, created_by_id=user_id)
    attachment.file = stored
    session.add(attachment)
    session.flush()
    session.expire(document, ["attachments"])
    return attachment


def attachment_of(session: Session, kind: DocumentType, document, attachment_id: int) -> Attachment:
    found = session.scalar(select(Attachment).where(Attachment.id == attachment_id, Attachment.type_key == kind.key,
                                                    Attachment.document_id == document.id))
    if found is None:
        raise NotFound(N_("There is no such file."))
    return found


def detach(session: Session, kind: DocumentType, document, attachment_id: int) -> None:
    """Remove a file from the document (the stored file stays for the signed trail)."""
    session.delete(attachment_of(session, kind, document, attachment_id))
    session.flush()
    session.expire(document, ["attachments"])


def line_attachments(session: Session, kind: DocumentType, document, slot: str | None = None
                     ) -> dict[int, list[Attachment]]:
    """The files of each line of a document, in one query."""
    query = select(Attachment).where(Attachment.type_key == kind.key, Attachment.document_id == document.id,
                                     Attachment.line_id.is_not(None)).order_by(Attachment.id)
    if slot is not None:
        query = query.where(Attachment.slot == slot)
    found: dict[int, list[Attachment]] = {}
    for attachment in session.scalars(query):
        found.setdefault(attachment.line_id, []).append(attachment)
    return found


def add_comment(session: Session, kind: DocumentType, document, *, author_id: int, text: str,
                uploads: Iterable[Upload] = (), rules: FileRules | None = None) -> Comment:
    """A comment on a document, with files if given; an empty comment is refused."""
    text = (text or "").strip()
    uploads = [u for u in uploads if u.filename]
    if not text and not uploads:
        raise Invalid(N_("Write a comment or attach a file."), field="text")
    if len(text) > MAX_COMMENT:
        raise Invalid(N_("At most %(count)s characters."), field="text", count=MAX_COMMENT)
    comment = Comment(type_key=kind.key, document_id=document.id, author_id=author_id, text=text)
    session.add(comment)
    session.flush()
    for upload in uploads:
        attach(session, kind, document, upload, rules=rules, user_id=author_id, comment_id=comment.id, field="file")
    return comment


# -- the timeline ------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to a document: a comment, an approval action or a change."""

    at: datetime
    kind: str  # comment, approval, change
    actor: str
    item: Any
    request: ApprovalRequest | None = None


def timeline(session: Session, kind: DocumentType, document, *, limit: int = 200) -> list[TimelineEntry]:
    """Comments, every approval round's actions and the recorded changes, newest first,
    in a fixed number of queries."""
    comments = session.scalars(select(Comment).where(Comment.type_key == kind.key, Comment.document_id == document.id)
                               .options(selectinload(Comment.attachments)).order_by(Comment.id.desc())
                               .limit(limit)).all()
    requests = {r.id: r for r in session.scalars(select(ApprovalRequest).where(
        ApprovalRequest.type_key == kind.key, ApprovalRequest.document_id == str(document.id)))}
    actions = session.scalars(select(ApprovalAction).where(ApprovalAction.request_id.in_(requests))
                              .order_by(ApprovalAction.id.desc()).limit(limit)).all() if requests else []
    changes = session.scalars(select(AuditEntry).where(AuditEntry.entity == kind.model.__tablename__,
                                                       AuditEntry.entity_id == str(document.id))
                              .order_by(AuditEntry.id.desc()).limit(limit)).all()
    ids = {c.author_id for c in comments} | {a.actor_id for a in actions if a.actor_id}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    entries = [TimelineEntry(c.created_at, "comment", names.get(c.author_id, ""), c) for c in comments]
    entries += [TimelineEntry(a.at, "approval", names.get(a.actor_id, ""), a, requests[a.request_id])
                for a in actions]
    entries += [TimelineEntry(e.at, "change", e.actor_name, e) for e in changes]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]
