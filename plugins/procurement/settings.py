"""Procurement's settings: every number of the handbook is one (PROCESSES.md, procurement)."""
from decimal import Decimal

from intranet import lazy_gettext as _l
from intranet.settings import Setting

SETTINGS = [
    Setting("procurement.bands", (Decimal("1000"), Decimal("2000"), Decimal("5000")),
            _l("Approval bands of purchase requests"),
            _l("Limit 1: from this total the finance manager also approves. Limit 2: start of the band the handbook "
               "leaves open (up to limit 3; head and finance manager unless the policy says otherwise). Limit 3: "
               "from this total the vice president in charge also approves. The policy follows these limits: a "
               "changed limit is a new policy version."),
            type="bands", minimum=0),
    # Roles name approvers in the first version of the policy; later the policy editor changes steps.
    Setting("procurement.finance_role", "finance_manager", _l("Role of the finance approver"),
            _l("Used by the first version of the approval policy; afterwards change the policy's steps."), type="role"),
    Setting("procurement.over_budget_role", "general_manager",
            _l("Role that approves a request over its department's budget"),
            _l("Used by the first version of the approval policy; afterwards change the policy's steps."), type="role"),
    Setting("procurement.due_days", 1, _l("Working days for each approver to decide"), type="int",
            minimum=1, maximum=30),
    Setting("procurement.repeat_months", 3, _l("Months in a row that make a repeat purchase"),
            _l("The same item requested by the same department this many months in a row is flagged."),
            type="int", minimum=2, maximum=12),
    Setting("procurement.min_quotations", 3, _l("Quotations needed before choosing a supplier"), type="int",
            minimum=1, maximum=10),
    Setting("procurement.close_price_percent", Decimal("5"),
            _l("Prices within this percentage count as equal (the choice goes to service and brand)"),
            type="decimal", minimum=0, maximum=100),
    Setting("procurement.pass_score", Decimal("60"), _l("Yearly score under which a supplier is removed"),
            type="decimal", minimum=0, maximum=100),
    Setting("procurement.weight_price", 40, _l("Weight of price in the yearly evaluation (%)"), type="int",
            minimum=0, maximum=100),
    Setting("procurement.weight_quality", 30, _l("Weight of quality in the yearly evaluation (%)"), type="int",
            minimum=0, maximum=100),
    Setting("procurement.weight_delivery", 30, _l("Weight of delivery in the yearly evaluation (%)"), type="int",
            minimum=0, maximum=100),
    Setting("procurement.discrepancy_penalty", 5, _l("Quality points a supplier loses per delivery discrepancy"),
            type="int", minimum=0, maximum=100),
    Setting("procurement.delivery_days", 7, _l("Default days from order to expected delivery"), type="int",
            minimum=0, maximum=365),
]
