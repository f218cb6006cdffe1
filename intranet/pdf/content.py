"""What a module describes for printing; the core does the layout."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class LineTable:
    """Line items that flow over pages, the header repeated on each."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple]
    widths: tuple[float, ...] | None = None  # relative widths, one per column
    numeric: tuple[int, ...] = ()  # right-aligned columns


@dataclass(frozen=True)
class PrintableDocument:
    """One form: bilingual title, number, fields, line items and free text.

    Labels are given ready to print (see :func:`intranet.pdf.label` for
    "金额 Amount"); the approval trail is added by the core.
    """

    title: str
    title_zh: str
    number: str
    fields: list[tuple[str, str]]
    tables: list[LineTable] = field(default_factory=list)
    text: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PdfTemplate:
    """A printable form a module declares through ``intranet_pdf_templates``.

    :param key: ``<module>.<name>``.
    :param load: ``(session, [ids]) -> {id: document}``.
    :param find: ``(session, number) -> document or None``, for printing by number.
    :param can_view: ``(user, document) -> bool``; printing what one may not see is 403.
    :param build: ``document -> PrintableDocument``.
    :param content: ``document -> dict``; its hash tells a printout from a changed record.
    :param approval: ``(session, document) -> ApprovalRequest or None``, whose trail is printed
        (see :func:`intranet.pdf.latest_approval`).
    :param superseded_by: ``(session, document) -> (number, url) or None`` when a newer
        approved version replaces this one.
    """

    key: str
    title: Any
    load: Callable[[Session, list[str]], dict[str, Any]]
    find: Callable[[Session, str], Any]
    can_view: Callable[[Any, Any], bool]
    build: Callable[[Any], PrintableDocument]
    content: Callable[[Any], dict]
    approval: Callable[[Session, Any], Any] | None = None
    superseded_by: Callable[[Session, Any], tuple[str, str] | None] | None = None

    @property
    def module(self) -> str:
        return self.key.split(".", 1)[0]


@dataclass(frozen=True)
class TrailRow:
    step: str
    approver: str
    on_behalf_of: str
    decision: str
    time: str
    comment: str
    fingerprint: str
    signature_image: bytes | None = None


@dataclass(frozen=True)
class PrintJob:
    """One document as it goes onto paper."""

    document: PrintableDocument
    trail: list[TrailRow]
    code: str
    verify_url: str


@dataclass(frozen=True)
class Letterhead:
    """What is the same on every page of one print run."""

    company: str
    printed_by: str
    printed_at: str
    font_path: str
    logo: bytes | None = None
    note: str = ""  # e.g. why the PDF carries no digital signature
