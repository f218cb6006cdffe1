"""The budget module's settings: every number of the budget handbook is one."""
from decimal import Decimal

from intranet import N_, Invalid
from intranet import lazy_gettext as _l
from intranet.settings import Setting

OVER_POLICIES = ("warn", "step", "block")

SETTINGS = [
    Setting("budget.vp_threshold", Decimal("100000"), _l("Budget total from which the vice president in charge "
                                                          "approves instead of the department head"),
            _l("Used for the default policies of budgets and adjustments; after that, edit the approval policy."),
            type="decimal", minimum=0),
    Setting("budget.gm_threshold", Decimal("1000000"), _l("Budget total from which the general manager approves"),
            _l("Used for the default policies of budgets and adjustments; after that, edit the approval policy."),
            type="decimal", minimum=0),
    Setting("budget.due_days", 3, _l("Working days for each approver of a budget to decide"), type="int",
            minimum=1, maximum=30),
    Setting("budget.publish_by", "11-30", _l("Next year's budgets are published by (month-day)"),
            _l("Month and day, e.g. 11-30 for 30 November."), type="str",
            check=lambda value: month_day(value)),
    Setting("budget.publish_remind_days", 14, _l("Days before the publication date to remind departments and "
                                                 "finance"), type="int", minimum=0, maximum=90),
    Setting("budget.close_day", 25, _l("Day of the month by which finance closes the month's costs"), type="int",
            minimum=1, maximum=28),
    Setting("budget.close_remind_days", 3, _l("Days before the closing day to remind finance"), type="int",
            minimum=0, maximum=27),
    Setting("budget.report_working_days", 3, _l("Working days after the month starts by which the execution "
                                                "report is issued"), type="int", minimum=1, maximum=20),
    Setting("budget.over_policy", "step", _l("When an approval exceeds the remaining budget"),
            _l("Warn: show the overrun. Extra step: the requesting module adds an approval step. "
               "Block: the approval is refused."), type="choice", choices=OVER_POLICIES,
            choice_labels={"warn": _l("Warn"), "step": _l("Add an approval step"), "block": _l("Block")}),
    Setting("budget.overrun_forecast_margin", Decimal("0"), _l("Percent over the annual budget from which a "
                                                               "line's forecast counts as likely to overrun"),
            type="decimal", minimum=0, maximum=100),
    Setting("budget.labour_share_margin", Decimal("5"), _l("Percentage points by which the labour-cost share may "
                                                           "exceed its budgeted share"), type="decimal",
            minimum=0, maximum=100),
    Setting("budget.labour_share_months", 2, _l("Months in a row over the labour-cost line before a warning"),
            type="int", minimum=1, maximum=12),
    Setting("budget.release_statuses", ("cancelled", "closed", "completed"),
            _l("Statuses of other modules' documents that release what they reserved"),
            _l("Comma-separated status keys."), type="list"),
    Setting("budget.import_max_rows", 20000, _l("Most rows one import of actual costs may hold"), type="int",
            minimum=1, maximum=1_000_000),
]


def month_day(value: str) -> str:
    month, _, day = (value or "").partition("-")
    if not (month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 28 + 3):
        raise Invalid(N_("Enter a date as MM-DD, such as 11-30."))
    return f"{int(month):02d}-{int(day):02d}"
