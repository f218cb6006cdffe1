"""Domain events: what happened to a document, told to every switched-on module.

The approval engine tells of its decisions and the document service of the
moves it makes; modules subscribe with the ``intranet_document_event`` hook and
act inside the same transaction (budget reserves money when a purchase is
approved), so an exception in a subscriber undoes the whole action.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

#: created, submitted, resubmitted, approved, rejected, returned, withdrawn, status_changed
EVENT_NAMES = ("created", "submitted", "resubmitted", "approved", "rejected", "returned", "withdrawn",
               "status_changed")


@dataclass(frozen=True)
class DocumentEvent:
    """Something that happened to one document.

    ``document`` is the module's object (for approval types that are not documents, the
    object the approval type loads); ``approval`` the approval request, when the engine acted.
    """

    name: str
    type_key: str
    document: Any
    session: Session
    at: datetime
    actor_id: int | None = None
    old_status: str | None = None
    new_status: str | None = None
    approval: Any = None

    @property
    def module(self) -> str:
        return self.type_key.split(".", 1)[0]


class EventBus:
    """Tells events to the modules that are switched on (``hooks``: their hook caller)."""

    def __init__(self, hooks=None):
        self.hooks = hooks

    def emit(self, event: DocumentEvent) -> None:
        if event.name not in EVENT_NAMES:
            raise ValueError(f"unknown event {event.name!r}")
        if self.hooks is not None:
            self.hooks.intranet_document_event(event=event)
