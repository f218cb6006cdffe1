"""The CRM module's settings: every number and list of the handbook is one."""
from decimal import Decimal

from intranet import lazy_gettext as _l
from intranet.settings import Setting

TAGS = ("vip", "potential", "frequent")
TAG_LABELS = {"vip": _l("VIP"), "potential": _l("Potential"), "frequent": _l("Frequent enquirer")}
REQUEST_KINDS = ("enquiry", "complaint", "cooperation")
REQUEST_KIND_LABELS = {"enquiry": _l("Enquiry"), "complaint": _l("Complaint"), "cooperation": _l("Cooperation")}

SETTINGS = [
    Setting("crm.industries", ("制造业", "零售", "互联网", "教育", "医疗", "政府", "其他"), _l("Industries"),
            type="list"),
    Setting("crm.channels", ("展会", "官网", "转介绍", "电话营销", "渠道商"), _l("Channels a customer came through"),
            type="list"),
    Setting("crm.contact_channels", ("电话", "拜访", "微信", "邮件", "会议", "回访"),
            _l("Channels of a contact"), type="list"),
    Setting("crm.payment_terms", ("款到发货", "货到付款", "月结30天", "月结60天", "预付30%"), _l("Payment terms"),
            type="list"),
    Setting("crm.tags", TAGS, _l("Customer tags"), type="list", choices=TAGS, choice_labels=TAG_LABELS),
    Setting("crm.max_discount", Decimal("50"), _l("Largest discount (%) a customer's terms may grant"),
            type="decimal", minimum=0, maximum=100),
    Setting("crm.pool_days", 90, _l("Days without contact before a customer goes back to the shared pool"),
            type="int", minimum=1, maximum=3650),
    Setting("crm.pool_warning_days", 7, _l("Days before that the owner is warned"), type="int", minimum=0,
            maximum=365),
    Setting("crm.enquiry_response_hours", 24, _l("Hours to answer an enquiry"), type="int", minimum=1, maximum=720),
    Setting("crm.complaint_response_hours", 48, _l("Hours to answer a complaint"), type="int", minimum=1,
            maximum=720),
    Setting("crm.cooperation_response_hours", 48, _l("Hours to answer a cooperation request"), type="int",
            minimum=1, maximum=720),
    Setting("crm.response_warning_hours", 4, _l("Hours before a response is due that the registrar is reminded"),
            type="int", minimum=0, maximum=72),
    Setting("crm.callback_working_days", 2, _l("Working days after the answer for the satisfaction callback"),
            type="int", minimum=1, maximum=30),
    Setting("crm.abc_a_share", Decimal("0.80"), _l("Share of revenue of the A customers"),
            _l("Customers by revenue, largest first, until this share: A; then B; the rest C."),
            type="decimal", minimum=0, maximum=1),
    Setting("crm.abc_b_share", Decimal("0.95"), _l("Share of revenue of the A and B customers together"),
            type="decimal", minimum=0, maximum=1),
    Setting("crm.rfm_months", 12, _l("Months of orders the segmentation reads"), type="int", minimum=1,
            maximum=120),
    Setting("crm.stale_days", 365, _l("Days without contact or order after which a record is stale"),
            _l("Stale records are on the quarterly clean-up list."), type="int", minimum=30, maximum=3650),
    Setting("crm.terms_due_days", 1, _l("Working days for each approver of customer terms"), type="int",
            minimum=1, maximum=30),
]

TIER_LABELS = {"champions": _l("Champions"), "loyal": _l("Loyal"), "new": _l("New"), "at_risk": _l("At risk"),
               "hibernating": _l("Hibernating"), "none": _l("No orders")}
ABC_LABELS = {"A": "A", "B": "B", "C": "C"}
