"""What a module declares through ``intranet_approval_types``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from sqlalchemy.orm import Session

FIELD_TYPES = ("money", "number", "choice", "text", "department", "bool", "person")
CONTENT_TYPES = ("text", "money", "number", "person", "department", "files")


@dataclass(frozen=True)
class PolicyField:
    """A value of the document that policy conditions may test.

    ``type`` is money or number (compared as decimals), choice (one of
    ``choices``), text, department (a department code; matches sub-departments
    with "in"), bool or person (a user id the document names, e.g. a meeting's chair: a step's
    approvers may be that person, selector ``{"kind": "person", "value": key}``; not a condition).
    """

    key: str
    label: Any
    type: str = "money"
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        if self.type not in FIELD_TYPES:
            raise ValueError(f"policy field {self.key}: unknown type {self.type!r}")


@dataclass(frozen=True)
class ContentField:
    """A key of the canonical content, as a reader sees it (e.g. in "what changed").

    ``type`` says how a value reads: text, money (in the content's ``currency``),
    number, person (a user id), department (a department id) or files (a list,
    shown as a count).
    """

    key: str
    label: Any
    type: str = "text"

    def __post_init__(self):
        if self.type not in CONTENT_TYPES:
            raise ValueError(f"content field {self.key}: unknown type {self.type!r}")


Callback = Callable[[Session, Any, Any], None]


@dataclass(frozen=True)
class ApprovalType:
    """A kind of document that goes through the approval engine.

    :param key: ``<module>.<name>``, e.g. ``general.request``.
    :param fields: the values a policy may test (:class:`PolicyField`).
    :param default_policy: ``settings -> rules``; seeds version 1 of the policy
        from the module's settings (see :mod:`intranet.approvals.policy` for the format).
    :param load: ``(session, [document ids]) -> {id: document}``, one query for a page of rows.
    :param canonical: ``document -> dict`` of what is approved; its hash is signed.
    :param summary_template: the inbox row fragment, rendered with ``request`` and ``document``.
    :param url: ``document -> str``, the document's own page.
    :param on_approved, on_rejected, on_returned, on_withdrawn: ``(session, document, request)``
        callbacks run in the deciding transaction, so the module updates its document.
    :param content_fields: the canonical content's keys by label and type (:class:`ContentField`),
        for pages that show the content, such as what changed on resubmission; a key without
        one is shown as it is.
    """

    key: str
    title: Any
    fields: tuple[PolicyField, ...]
    default_policy: Callable[[Any], list[dict]]
    load: Callable[[Session, list[str]], Mapping[str, Any]]
    canonical: Callable[[Any], dict]
    summary_template: str
    url: Callable[[Any], str]
    on_approved: Callback | None = None
    on_rejected: Callback | None = None
    on_returned: Callback | None = None
    on_withdrawn: Callback | None = None
    content_fields: tuple[ContentField, ...] = ()
    field_map: dict = field(init=False, repr=False, compare=False)
    content_map: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "field_map", {f.key: f for f in self.fields})
        object.__setattr__(self, "content_map", {f.key: f for f in self.content_fields})

    @property
    def module(self) -> str:
        return self.key.split(".", 1)[0]

    def load_one(self, session: Session, document_id: str):
        return self.load(session, [str(document_id)]).get(str(document_id))
