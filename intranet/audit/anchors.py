"""Anchoring the audit chain from the app: the key and the anchor file come from the config.

The backup, the restore and every reminder run call :func:`anchor_now`; ``flask audit verify``
holds the chain against the anchors with :func:`verify`.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from ..db import utcnow
from ..errors import N_
from .capture import audit_key
from .services import Anchor, ChainProblem, read_anchor_file, take_anchor, verify_chain, write_anchor_file


def anchor_file() -> Path:
    configured = current_app.config.get("AUDIT_ANCHOR_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit_anchor.json"


def anchor_now(session: Session, source: str, *, replace_file: bool = False) -> Anchor | None:
    """Record where the chain stands in the anchors table and the anchor file; commits.

    The file only moves forward, except after a restore (``replace_file``), which puts an
    older chain back on purpose and is itself audited.
    """
    anchor = take_anchor(session, audit_key(), source, utcnow())
    session.commit()
    if anchor is None:
        return None
    path = anchor_file()
    try:
        kept = read_anchor_file(path)
    except ValueError:
        kept = None  # a damaged file is replaced; verify has reported it until now
    if replace_file or kept is None or kept.last_id <= anchor.last_id:
        write_anchor_file(path, anchor)
    return anchor


def verify(session: Session) -> ChainProblem | None:
    """The first problem of the audit log, held against the table's anchors and the anchor file."""
    try:
        kept = read_anchor_file(anchor_file())
    except ValueError as error:
        return ChainProblem(0, N_("the anchor file %(file)s is unreadable (%(error)s)"),
                            {"file": str(anchor_file()), "error": str(error)[:80]})
    return verify_chain(session, audit_key(), [kept] if kept else [])
