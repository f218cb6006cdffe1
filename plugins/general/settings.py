"""The general module's settings; every number is one."""
from decimal import Decimal


from intranet import lazy_gettext as _l
from intranet.settings import Setting

SETTINGS = [
    Setting("general.categories", ("办公用品", "差旅", "维修", "培训", "招待", "其他"), _l("Categories"),
            _l("Comma-separated; requests choose one."), type="list"),
    Setting("general.vp_threshold", Decimal("5000"), _l("Amount from which the vice president in charge also approves"),
            _l("The approval policy follows it: a change makes a new policy version."), type="decimal", minimum=0),
    Setting("general.head_due_days", 1, _l("Working days for the department head to decide"), type="int",
            minimum=1, maximum=30),
    Setting("general.vp_due_days", 2, _l("Working days for the vice president to decide"), type="int",
            minimum=1, maximum=30),
]
