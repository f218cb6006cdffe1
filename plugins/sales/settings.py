"""The sales module's settings: every number of the handbook is one."""
from decimal import Decimal

from intranet import lazy_gettext as _l
from intranet.settings import Setting

KIND_LABELS = {"stock": _l("Stock order"), "custom": _l("Custom order")}

SETTINGS = [
    Setting("sales.contract_threshold", Decimal("100000"), _l("Order total above which legal reviews the contract"),
            _l("Used for the default policy; after that, edit the approval policy."), type="decimal", minimum=0),
    Setting("sales.finance_review_days", 1, _l("Working days for the finance review"), type="int", minimum=1,
            maximum=30),
    Setting("sales.legal_review_days", 2, _l("Working days for legal to review the contract"), type="int",
            minimum=1, maximum=30),
    Setting("sales.order_review_days", 1, _l("Working days for the review of a custom order"), type="int",
            minimum=1, maximum=30),
    Setting("sales.followup_working_days", 3, _l("Working days after delivery for the follow-up survey"),
            type="int", minimum=1, maximum=30),
    Setting("sales.product_categories", ("控制器", "传感器", "仪表", "软件服务", "配件"), _l("Product categories"),
            type="list"),
    Setting("sales.carriers", ("顺丰速运", "德邦物流", "中通快递", "自提"), _l("Carriers"), type="list"),
]
