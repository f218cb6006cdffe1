"""A document type: one declaration from which the core derives numbering, statuses,
the approval type, the printable form, the loader and the signed content."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from sqlalchemy import Integer, Numeric, inspect, select
from sqlalchemy.orm import Session, selectinload

from ..approvals.types import ContentField, PolicyField
from ..numbering import NumberSeries
from ..web.fields import Field, label_for
from .scope import Scope
from .statuses import APPROVAL_STATUSES, StatusSet

#: Columns every document has that are bookkeeping, not content: never signed.
BOOKKEEPING = frozenset({"id", "status", "created_at", "updated_at", "submitted_at", "decided_at"})

Callback = Callable[[Session, Any, Any], None]


@dataclass(frozen=True)
class Approval:
    """How a document type is approved; the core derives its approval type from this.

    :param fields: the values a policy may test (:class:`intranet.approvals.PolicyField`).
    :param default_policy: ``settings -> rules``, version 1 of the policy.
    :param values: ``(document, org) -> {field: value}``, what the policy tests.
    :param summary: fields shown in the inbox row under the title.
    :param approved: the status an approved document moves to.
    :param after: ``{"approved"|"rejected"|"returned"|"withdrawn": (session, document, request)}``,
        run in the deciding transaction after the document moved (issue an order, book stock).
    """

    fields: tuple[PolicyField, ...]
    default_policy: Callable[[Any], list[dict]]
    values: Callable[[Any, Any], dict]
    summary: tuple[Field, ...] = ()
    approved: str = "approved"
    after: Mapping[str, Callback] = field(default_factory=dict)


@dataclass(frozen=True)
class LineTableSpec:
    """Line items printed as a table: the document's relationship ``key`` and its columns."""

    key: str
    title: Any
    fields: tuple[Field, ...]
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True)
class PrintForm:
    """The printed form 《…》 of a document type; the core adds letterhead, trail and QR code.

    ``title_zh`` is the form's Chinese name as the handbook writes it. ``fields`` and
    ``text`` are keys or :class:`Field` s; ``attachments`` lists the files by fingerprint.
    ``build(document) -> PrintableDocument`` replaces all of it for an unusual form.
    """

    title_zh: str
    fields: tuple[Field | str, ...] = ()
    tables: tuple[LineTableSpec, ...] = ()
    text: tuple[Field | str, ...] = ()
    attachments: bool = True
    build: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class DocumentType:
    """A kind of document of a module, declared through ``intranet_document_types``.

    :param model: the module's model, mixing in :class:`intranet.documents.Document`; its
        ``__document_type__`` is the type's key (``<module>.<name>``), which is also the key of
        the derived approval type and printable form.
    :param title: what the document is called (lazy translated).
    :param endpoint: the detail page; called with ``document_id``.
    :param edit_endpoint: the edit form (``document_id``), for the page's edit button.
    :param numbering: the number series; None when the module numbers documents itself.
    :param statuses: the declared statuses and moves (default: :data:`APPROVAL_STATUSES`).
    :param labels: labels of the model's fields (common ones come from the core).
    :param lines: relationship names of the document's line items (signed, loaded, printed).
    :param content: ``document -> dict`` of what is signed; by default every column but
        bookkeeping and ``unsigned``, the lines' columns and the attachments' fingerprints.
    :param unsigned: columns that are not content (a link to the revision it replaces).
    :param approval: how it is approved (:class:`Approval`), or None.
    :param printing: its printed form (:class:`PrintForm`), or None.
    :param scope: who sees it (:class:`Scope`).
    :param number_values: ``document -> {token: value}`` for series with tokens of their own.
    :param load_options: further loader options for a page of documents.
    :param superseded_by: ``(session, document) -> (number, url) | None`` for revised documents.
    """

    model: type
    title: Any
    endpoint: str
    edit_endpoint: str = ""
    numbering: NumberSeries | None = None
    statuses: StatusSet = APPROVAL_STATUSES
    labels: Mapping[str, Any] = field(default_factory=dict)
    lines: tuple[str, ...] = ()
    content: Callable[[Any], dict] | None = None
    unsigned: tuple[str, ...] = ()
    approval: Approval | None = None
    printing: PrintForm | None = None
    scope: Scope = Scope()
    number_values: Callable[[Any], dict] | None = None
    load_options: tuple = ()
    superseded_by: Callable[[Session, Any], tuple[str, str] | None] | None = None

    def __post_init__(self):
        if not getattr(self.model, "__document_type__", ""):
            raise ValueError(f"{self.model.__name__} must set __document_type__ = '<module>.<name>'")

    @property
    def key(self) -> str:
        return self.model.__document_type__

    @property
    def module(self) -> str:
        return self.key.split(".", 1)[0]

    def field_label(self, key: str) -> Any:
        """A field's label: the type's own, the model's ``__labels__`` (which the audit log reads
        too), then the core's vocabulary."""
        return self.labels.get(key) or label_for(self.model, key)

    def field(self, spec: Field | str) -> Field:
        """A field spec with its label filled in from the type's labels."""
        if isinstance(spec, str):
            spec = Field(spec)
        return spec if spec.label is not None else Field(**{**spec.__dict__, "label": self.field_label(spec.key)})

    def line_field(self, relationship: str, spec: Field | str) -> Field:
        """A column of a line table with its label: the line model's ``__labels__`` first (the lines
        are records of their own: "received" is a word of the order line), then the type's labels."""
        if isinstance(spec, str):
            spec = Field(spec)
        if spec.label is not None:
            return spec
        # the key may also be a property giving another record's lines (a shipment prints its order's)
        related = inspect(self.model).relationships.get(relationship)
        own = getattr(related.mapper.class_, "__labels__", {}).get(spec.key) if related is not None else None
        return Field(**{**spec.__dict__, "label": own or self.field_label(spec.key)})

    # -- reading documents ------------------------------------------------------
    def options(self) -> list:
        model = self.model
        return [selectinload(model.attachments), selectinload(model.requester),
                *(selectinload(getattr(model, rel)) for rel in self.lines), *self.load_options]

    def load(self, session: Session, ids) -> dict[str, Any]:
        """Documents by id (as text) for a page of rows, in a fixed number of queries."""
        numeric = sorted({int(i) for i in ids if str(i).isdigit() and len(str(i)) < 12})
        if not numeric:
            return {}
        query = select(self.model).where(self.model.id.in_(numeric)).options(*self.options())
        return {str(d.id): d for d in session.scalars(query)}

    def load_one(self, session: Session, document_id):
        return self.load(session, [document_id]).get(str(document_id))

    def find(self, session: Session, number: str):
        number = (number or "").strip()
        if not number or len(number) > 80:
            return None
        return session.scalar(select(self.model).where(self.model.number == number)
                              .order_by(self.model.id.desc()).limit(1))

    def signed_content(self, document) -> dict:
        """What an approval signs and a printout fingerprints."""
        if self.content is not None:
            return self.content(document)
        data = _columns(document, BOOKKEEPING | set(self.unsigned))
        for rel in self.lines:
            parent_keys = {c.key for c in inspect(type(document)).relationships[rel].remote_side}
            data[rel] = [_columns(line, {"id", *parent_keys}) for line in getattr(document, rel)]
        data["attachments"] = [a.file.sha256 for a in document.attachments]
        return data

    def content_fields(self) -> tuple[ContentField, ...]:
        """The signed content's keys as a reader sees them ("what changed" on resubmission):
        each column's label, read as money, a number, a person or a department by its type."""
        mapper = inspect(self.model)
        found = [ContentField(attr.key, self.field_label(attr.key), _content_type(attr))
                 for attr in mapper.column_attrs if attr.key not in BOOKKEEPING and attr.key not in self.unsigned]
        found += [ContentField(rel, self.field_label(rel), "text") for rel in self.lines]
        return (*found, ContentField("attachments", self.field_label("attachments"), "files"))


def _content_type(attr) -> str:
    column = attr.columns[0]
    if attr.key == "requester_id" or (column.foreign_keys and
                                      any(fk.column.table.name == "core_user" for fk in column.foreign_keys)):
        return "person"
    if attr.key == "department_id":
        return "department"
    if isinstance(column.type, Numeric):
        return "money" if column.type.scale == 2 else "number"
    if isinstance(column.type, Integer):
        return "number"
    return "text"


def _columns(record, skip) -> dict:
    mapper = inspect(type(record))
    return {attr.key: getattr(record, attr.key) for attr in mapper.column_attrs if attr.key not in skip}

