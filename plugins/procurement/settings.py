"""Procurement's settings: every number of the handbook is one (PROCESSES.md, procurement)."""
from decimal import Decimal

from intranet import lazy_gettext as _l
from intranet.settings import Setting

MIDDLE_BAND_CHOICES = ("head", "head_finance", "head_finance_vp")

SETTINGS = [
    Setting("procurement.finance_from", Decimal("1000"), _l("Total from which the finance manager also approves"),
            _l("Below it the department head alone approves. The default policy follows this band."),
            type="decimal", minimum=0),
    Setting("procurement.middle_band_from", Decimal("2000"), _l("Start of the band the handbook leaves open"),
            _l("From this total up to the vice president's band, the approvers chosen below decide."),
            type="decimal", minimum=0),
    Setting("procurement.middle_band_steps", "head_finance", _l("Who approves in the band the handbook leaves open"),
            type="choice", choices=MIDDLE_BAND_CHOICES,
            choice_labels={"head": _l("Department head"), "head_finance": _l("Department head and finance manager"),
                           "head_finance_vp": _l("Department head, finance manager and vice president")}),
    Setting("procurement.vp_from", Decimal("5000"), _l("Total from which the vice president in charge also approves"),
            type="decimal", minimum=0),
    Setting("procurement.finance_role", "finance_manager", _l("Role of the finance approver"), type="role"),
    Setting("procurement.over_budget_role", "general_manager",
            _l("Role that approves a request over its department's budget"), type="role"),
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
