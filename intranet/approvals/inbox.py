"""The inbox lists: waiting for me, I submitted, I was copied, done by me."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Iterable, Mapping

from sqlalchemy import BindParameter, Select, bindparam, or_, select
from sqlalchemy.orm import Session, joinedload

from ..db import contains
from ..files import StoredFile
from ..org.models import User
from ..pagination import count_each_up_to
from .delegation import delegation_clause
from .models import ApprovalAction, ApprovalCopy, ApprovalRequest, ApprovalStep, ApprovalTask, TaskStatus
from .types import ApprovalType

TABS = ("waiting", "submitted", "copied", "done")


@dataclass(frozen=True)
class InboxFilter:
    module: str | None = None
    type_key: str | None = None
    older_than_days: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    text: str = ""


def modules_to_show(types: Mapping[str, ApprovalType], enabled: Iterable[str]) -> frozenset[str] | None:
    """The modules an inbox may list, or None when every module with approvals is on
    (then no filter is needed, and long inboxes stay an index-ordered read)."""
    enabled = frozenset(enabled)
    return None if {kind.module for kind in types.values()} <= enabled else enabled


def _filtered(query: Select, flt: InboxFilter, modules: frozenset[str] | None, now: datetime,
              module_column=ApprovalRequest.module) -> Select:
    if modules is not None:
        query = query.where(module_column.in_(sorted(modules)))
    if flt.module:
        query = query.where(ApprovalRequest.module == flt.module)
    if flt.type_key:
        query = query.where(ApprovalRequest.type_key == flt.type_key)
    if flt.older_than_days:
        query = query.where(ApprovalRequest.submitted_at <= now - timedelta(days=flt.older_than_days))
    if flt.amount_min is not None:
        query = query.where(ApprovalRequest.amount >= flt.amount_min)
    if flt.amount_max is not None:
        query = query.where(ApprovalRequest.amount <= flt.amount_max)
    if flt.text:
        query = query.where(or_(contains(ApprovalRequest.title, flt.text),
                                contains(ApprovalRequest.document_number, flt.text)))
    return query


def _waiting_clause(user_id: int | BindParameter, delegators: Mapping[int, set]):
    return (ApprovalTask.status == TaskStatus.PENDING,
            or_(ApprovalTask.assignee_id == user_id, *delegation_clause(delegators)))


def waiting(user_id: int, delegators: Mapping[int, set], modules: frozenset[str] | None, flt: InboxFilter,
            now: datetime) -> Select:
    """(task, request) rows waiting for the user or their delegators, soonest due first."""
    query = (select(ApprovalTask, ApprovalRequest)
             .join(ApprovalRequest, ApprovalRequest.id == ApprovalTask.request_id)
             .options(joinedload(ApprovalRequest.requester))
             .where(*_waiting_clause(user_id, delegators)))
    return _filtered(query, flt, modules, now, ApprovalTask.module).order_by(ApprovalTask.queue_at, ApprovalTask.id)


def decidable(user_id: int, delegators: Mapping[int, set], modules: frozenset[str] | None,
              ids: Iterable[int]) -> Select:
    """The requests among ``ids`` the user may decide now: a pending task of theirs or of
    someone who delegated to them, in a switched-on module (the waiting tab's rule)."""
    tasks = select(ApprovalTask.request_id).where(*_waiting_clause(user_id, delegators))
    if modules is not None:
        tasks = tasks.where(ApprovalTask.module.in_(sorted(modules)))
    return (select(ApprovalRequest).options(joinedload(ApprovalRequest.requester))
            .where(ApprovalRequest.id.in_(sorted(ids)), ApprovalRequest.id.in_(tasks)).order_by(ApprovalRequest.id))


#: The menu badge's rows in the usual case (no delegations, every module on), counted on
#: every page: built once, since building it costs more than running it.
_USUALLY_WAITING = select(ApprovalTask.id).where(*_waiting_clause(bindparam("user_id"), {}))


def waiting_tasks(delegators: Mapping[int, set], modules: frozenset[str] | None) -> Select:
    """Ids of the tasks waiting for the user ``:user_id`` or their delegators: the menu badge's rows."""
    if not delegators and modules is None:
        return _USUALLY_WAITING
    query = select(ApprovalTask.id).where(*_waiting_clause(bindparam("user_id"), delegators))
    if modules is not None:
        query = query.where(ApprovalTask.module.in_(sorted(modules)))
    return query


def waiting_count(session: Session, user_id: int, delegators: Mapping[int, set],
                  modules: frozenset[str] | None, limit: int) -> int:
    """How many tasks wait for the user, counted no further than ``limit``."""
    return count_each_up_to(session, [waiting_tasks(delegators, modules)], {"user_id": user_id}, limit)[0]


def submitted(user_id: int, modules: frozenset[str] | None, flt: InboxFilter, now: datetime) -> Select:
    query = (select(ApprovalRequest).options(joinedload(ApprovalRequest.requester))
             .where(ApprovalRequest.requester_id == user_id))
    return _filtered(query, flt, modules, now).order_by(ApprovalRequest.submitted_at.desc(),
                                                        ApprovalRequest.id.desc())


def copied(user_id: int, modules: frozenset[str] | None, flt: InboxFilter, now: datetime) -> Select:
    query = (select(ApprovalRequest).join(ApprovalCopy, ApprovalCopy.request_id == ApprovalRequest.id)
             .options(joinedload(ApprovalRequest.requester)).where(ApprovalCopy.user_id == user_id))
    return _filtered(query, flt, modules, now).order_by(ApprovalCopy.created_at.desc(), ApprovalRequest.id.desc())


def done(user_id: int, modules: frozenset[str] | None, flt: InboxFilter, now: datetime) -> Select:
    query = (select(ApprovalTask, ApprovalRequest)
             .join(ApprovalRequest, ApprovalRequest.id == ApprovalTask.request_id)
             .options(joinedload(ApprovalRequest.requester))
             .where(ApprovalTask.acted_by_id == user_id,
                    ApprovalTask.status.in_(TaskStatus.DECIDED)))
    return _filtered(query, flt, modules, now, ApprovalTask.module).order_by(ApprovalTask.decided_at.desc(),
                                                                              ApprovalTask.id.desc())


def documents(session: Session, types: Mapping[str, ApprovalType], requests: Iterable[ApprovalRequest]) -> dict:
    """The documents behind a page of requests: one query per approval type on the page."""
    wanted: dict[str, set[str]] = {}
    for request in requests:
        wanted.setdefault(request.type_key, set()).add(request.document_id)
    found = {}
    for type_key, ids in wanted.items():
        kind = types.get(type_key)
        if kind is not None:
            for document_id, document in kind.load(session, sorted(ids)).items():
                found[(type_key, str(document_id))] = document
    return found


def trail(session: Session, approval: ApprovalRequest) -> dict:
    """Everything the trail shows for one request, in a fixed number of queries:
    steps, the tasks of each step, the actions, the people's names, attachments."""
    steps = session.scalars(select(ApprovalStep).where(ApprovalStep.request_id == approval.id)
                            .order_by(ApprovalStep.round, ApprovalStep.position)).all()
    tasks = session.scalars(select(ApprovalTask).where(ApprovalTask.request_id == approval.id)
                            .order_by(ApprovalTask.id)).all()
    actions = session.scalars(select(ApprovalAction).where(ApprovalAction.request_id == approval.id)
                              .order_by(ApprovalAction.id)).all()
    ids = {uid for s in steps for uid in (*s.approver_ids, *s.cc_ids)}
    ids |= {t.assignee_id for t in tasks} | {t.acted_by_id for t in tasks if t.acted_by_id}
    ids |= {uid for a in actions for uid in (a.actor_id, a.on_behalf_of_id, a.target_user_id) if uid}
    people = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    by_step: dict[int, list] = {}
    for task in tasks:
        by_step.setdefault(task.step_id, []).append(task)
    file_ids = {a.attachment_id for a in actions if a.attachment_id}
    files = {f.id: f for f in session.scalars(select(StoredFile).where(StoredFile.id.in_(file_ids)))} \
        if file_ids else {}
    return {"steps": steps, "tasks_by_step": by_step, "actions": actions, "people": people, "files": files}
