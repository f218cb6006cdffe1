"""Who may see a general request: in one's scope, or asked to approve it."""
from __future__ import annotations

from intranet.approvals import current_engine
from intranet.auth import can_see
from intranet.web import org_chart

from . import services

VIEW_ALL = "general.view_all"


def may_see(user, document) -> bool:
    if can_see(user, org_chart(), owner_id=document.requester_id, department_id=document.department_id,
               widen=VIEW_ALL):
        return True
    engine = current_engine()
    approval = engine.latest_request(services.APPROVAL_TYPE, document.id)
    return approval is not None and engine.can_view(user, approval)
