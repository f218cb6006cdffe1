"""The approval record 审批单: any module's approval request, printed with its trail."""
from __future__ import annotations

from sqlalchemy import select

from ..approvals.context import current_engine
from ..approvals.models import ApprovalRequest
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..web.context import calendar, org_chart, state
from . import amount, label
from .content import PdfTemplate, PrintableDocument


def _load(session, ids):
    numeric = [int(i) for i in ids if str(i).isdigit()]
    return {str(r.id): r for r in session.scalars(select(ApprovalRequest).where(ApprovalRequest.id.in_(numeric)))}


def _find(session, number):
    return session.scalar(select(ApprovalRequest).where(ApprovalRequest.document_number == number)
                          .order_by(ApprovalRequest.id.desc()).limit(1))


def _can_view(user, approval) -> bool:
    return current_engine().can_view(user, approval)


def _build(approval: ApprovalRequest) -> PrintableDocument:
    kind = state().approval_types.get(approval.type_key)
    department = org_chart().get(approval.department_id)
    local = calendar().local
    fields = [(label("Approval type"), str(kind.title) if kind else approval.type_key),
              (label("Number"), approval.document_number), (label("Title"), approval.title),
              (label("Requester"), approval.requester.name), (label("Department"), department.name if department else ""),
              (label("Amount"), amount(approval.amount, approval.currency)),
              (label("Submitted"), local(approval.submitted_at).strftime("%Y-%m-%d %H:%M")),
              (label("Status"), label(approval.status.capitalize())),
              (label("Policy"), _("rule %(rule)s of version %(version)s", rule=approval.rule_index + 1,
                                  version=approval.policy.version))]
    return PrintableDocument(title="Approval record", title_zh="审批单", number=approval.document_number,
                             fields=fields, text=[(label("Content fingerprint"), approval.content_hash)])


def approval_record() -> PdfTemplate:
    return PdfTemplate(key="core.approval", title=_l("Approval record"), load=_load, find=_find, can_view=_can_view,
                       build=_build, content=lambda approval: approval.content,
                       approval=lambda session, approval: approval)
