"""Who may see an approval request: its participants, heads of its department, those with view-all,
and delegates of anyone it asked."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..org.chart import OrgChart
from .delegation import Delegates
from .models import ApprovalCopy, ApprovalRequest, ApprovalTask


class Visibility:
    def __init__(self, session: Session, org: OrgChart, delegates: Delegates):
        self.session, self.org, self.delegates = session, org, delegates

    def participants(self, request: ApprovalRequest) -> set[int]:
        people = {request.requester_id}
        people.update(self.session.scalars(select(ApprovalTask.assignee_id).where(
            ApprovalTask.request_id == request.id)))
        people.update(uid for uid in self.session.scalars(select(ApprovalTask.acted_by_id).where(
            ApprovalTask.request_id == request.id)) if uid)
        people.update(self.session.scalars(select(ApprovalCopy.user_id).where(ApprovalCopy.request_id == request.id)))
        return people

    def can_view(self, user, request: ApprovalRequest) -> bool:
        if user.can("core.approvals.view_all") or user.id in self.participants(request):
            return True
        if request.department_id in self.org.in_charge_of(user.id):
            return True
        delegators = self.delegates.delegators(user.id, request.module)
        return bool(delegators) and bool(self.session.scalar(select(func.count()).where(
            ApprovalTask.request_id == request.id, ApprovalTask.assignee_id.in_(sorted(delegators)))))
