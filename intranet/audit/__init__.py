"""Audit log: every change, decision, sign-in and print, chained by hash.

Model changes are captured automatically; other events go through
:func:`record`. Modules embed one record's history with
``{% include "audit/_history.html" %}``, :func:`history` and
``intranet.audit.context.vocabulary()`` (the names of its keys, :mod:`intranet.audit.labels`).
"""
from .capture import Actor, acting_as, current_actor, record, reset_actor, set_actor
from .anchors import anchor_file, anchor_now, verify
from .models import AuditAnchor, AuditEntry
from .services import Anchor, AuditFilter, ChainProblem, history, search, verify_chain

__all__ = ["Actor", "Anchor", "AuditAnchor", "AuditEntry", "AuditFilter", "ChainProblem", "acting_as",
           "anchor_file", "anchor_now", "current_actor", "history", "record", "reset_actor", "search", "set_actor",
           "verify", "verify_chain"]
