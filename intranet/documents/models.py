"""What every document has (:class:`Document`), and the attachments and comments
any document can carry."""
from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, Integer, String, Text, and_
from sqlalchemy.orm import Mapped, declared_attr, foreign, mapped_column, relationship

from ..db import Model, utcnow
from ..files import StoredFile
from ..i18n import lazy_gettext as _l
from ..org.models import Department, User


class Document:
    """Mix into a module's model to make it a document: a readable number, a
    requester and their department, a declared status, and its times.

    The table gets the indexes its list pages need (each scope column and status
    followed by the default sort, newest first) and a unique number; give further
    table arguments in ``__extra_table_args__``, and set ``__number_unique__ = False``
    when revisions share a number.
    """

    #: the document type's key, set at start-up from the module's declaration
    __document_type__: ClassVar[str] = ""
    __extra_table_args__: ClassVar[tuple] = ()
    __number_unique__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    requester_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()

    @declared_attr
    def requester(cls) -> Mapped[User]:
        return relationship(User, foreign_keys=lambda: [cls.requester_id])

    @declared_attr
    def department(cls) -> Mapped[Department | None]:
        return relationship(Department, foreign_keys=lambda: [cls.department_id])

    @declared_attr
    def attachments(cls) -> Mapped[list["Attachment"]]:
        """The document's own files (not its lines' or its comments'), oldest first."""
        return relationship(
            "Attachment", viewonly=True, order_by=lambda: Attachment.id,
            primaryjoin=lambda: and_(foreign(Attachment.document_id) == cls.id,
                                     Attachment.type_key == cls.__document_type__,
                                     Attachment.line_id.is_(None), Attachment.comment_id.is_(None)))

    @declared_attr.directive
    def __table_args__(cls):
        table = cls.__tablename__
        return (*cls.__extra_table_args__,
                Index(f"ix_{table}_number", "number", unique=cls.__number_unique__),
                Index(f"ix_{table}_created", "created_at", "id"),
                Index(f"ix_{table}_requester_created", "requester_id", "created_at", "id"),
                Index(f"ix_{table}_department_created", "department_id", "created_at", "id"),
                Index(f"ix_{table}_status_created", "status", "created_at", "id"))


class Attachment(Model):
    """A file attached to a document, to one of its lines, or to a comment on it."""

    __tablename__ = "core_attachment"
    __label__ = _l("Attachment")
    __table_args__ = (Index("ix_core_attachment_document", "type_key", "document_id", "line_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_key: Mapped[str] = mapped_column(String(80))
    document_id: Mapped[int] = mapped_column(Integer)
    #: the line of the document the file belongs to (a photo per receipt line), if any
    line_id: Mapped[int | None] = mapped_column(Integer)
    #: what the file is for, when a document has several kinds (photo, deliverable...)
    slot: Mapped[str] = mapped_column(String(40), default="")
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("core_comment.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("core_file.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    file: Mapped[StoredFile] = relationship(lazy="joined")


class Comment(Model):
    """A remark on a document, shown in its timeline with the approval trail."""

    __tablename__ = "core_comment"
    __label__ = _l("Comment")
    __table_args__ = (Index("ix_core_comment_document", "type_key", "document_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_key: Mapped[str] = mapped_column(String(80))
    document_id: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(order_by=Attachment.id, viewonly=True)
