"""The general request as a declared document: number, statuses, approval, printed form."""
from __future__ import annotations

from flask import url_for

from intranet.approvals import PolicyField
from intranet.documents import (APPROVAL_STATUSES, Approval, DocumentType, Field, NumberSeries, PrintForm, Scope,
                                Status)
from intranet import lazy_gettext as _l

from . import services
from .models import GeneralRequest
from .policies import default_policy

VIEW_ALL = "general.view_all"

STATUSES = APPROVAL_STATUSES.extend([Status("superseded", _l("Superseded"), "muted")], {"approved": ("superseded",)})


def _superseded_by(session, document):
    newer = services.newer_approved(session, document)
    return (newer.display_number, url_for("general.detail", document_id=newer.id)) if newer else None


GENERAL_REQUEST = DocumentType(
    model=GeneralRequest, title=_l("General request"), endpoint="general.detail", edit_endpoint="general.edit",
    numbering=NumberSeries(prefix="GR"), statuses=STATUSES,
    unsigned=("supersedes_id",),
    scope=Scope(widen=VIEW_ALL, approvers=GeneralRequest.__document_type__),
    approval=Approval(
        fields=(PolicyField("amount", _l("Amount"), "money"), PolicyField("category", _l("Category"), "text"),
                PolicyField("department", _l("Department"), "department")),
        default_policy=default_policy, values=services.policy_values,
        summary=(Field("category"),), after={"approved": services.supersede}),
    printing=PrintForm(title_zh="通用审批单", fields=(
        "title", "category", Field("amount", format="money"), Field("requester", format="person"),
        Field("department_id", format="department"), Field("created_at", format="datetime"),
        Field("status", format="status"), "revision"), text=("description",)),
    superseded_by=_superseded_by)
