"""The approval type of general requests and its default policy."""
from flask import url_for

from intranet import N_
from intranet.approvals import ApprovalType, ContentField, PolicyField
from intranet.i18n import force_locale, gettext
from intranet.i18n import lazy_gettext as _l

from . import services


def default_policy(settings) -> list[dict]:
    """Department head; from general.vp_threshold on, then the vice president in charge.

    Step names are the company's data, like department names: they are written in the
    company's default language, once, and edited as the company likes.
    """
    with force_locale(settings["core.default_language"]):
        head_name, vp_name = gettext(N_("Department head")), gettext(N_("Vice president in charge"))
    head = {"name": head_name, "approvers": {"kind": "department_head"}, "mode": "any",
            "due": {"amount": settings["general.head_due_days"], "unit": "days"}}
    vp = {"name": vp_name, "approvers": {"kind": "department_vp"}, "mode": "any",
          "due": {"amount": settings["general.vp_due_days"], "unit": "days"}}
    threshold = str(settings["general.vp_threshold"])
    return [
        {"label": f"≥ {threshold}", "conditions": [{"field": "amount", "op": ">=", "value": threshold}],
         "steps": [head, vp]},
        {"label": "", "conditions": [], "steps": [head]},
    ]


def approval_type() -> ApprovalType:
    return ApprovalType(
        key=services.APPROVAL_TYPE, title=_l("General request"),
        fields=(PolicyField("amount", _l("Amount"), "money"),
                PolicyField("category", _l("Category"), "text"),
                PolicyField("department", _l("Department"), "department")),
        default_policy=default_policy, load=services.load, canonical=services.canonical,
        summary_template="general/_approval_summary.html",
        url=lambda document: url_for("general.detail", request_id=document.id),
        on_approved=services.on_approved, on_rejected=services.on_rejected, on_returned=services.on_returned,
        on_withdrawn=services.on_withdrawn,
        content_fields=(ContentField("number", _l("Number")), ContentField("revision", _l("Revision"), "number"),
                        ContentField("title", _l("Title")), ContentField("category", _l("Category")),
                        ContentField("description", _l("Description")), ContentField("amount", _l("Amount"), "money"),
                        ContentField("currency", _l("Currency")), ContentField("requester_id", _l("Requester"), "person"),
                        ContentField("department_id", _l("Department"), "department"),
                        ContentField("attachments", _l("Attachments"), "files")))
