"""The warehouse's settings: every number of the handbook is one (PROCESSES.md, warehouse)."""
from intranet import lazy_gettext as _l
from intranet.settings import Setting

SETTINGS = [
    Setting("warehouse.receive_hours", 4, _l("Working hours from arrival within which goods are received"),
            _l("The keeper is reminded when a receipt is not signed in time."), type="int", minimum=1, maximum=72),
    Setting("warehouse.escalate_hours", 2, _l("Further working hours before the warehouse head is told"),
            type="int", minimum=0, maximum=72),
    Setting("warehouse.photo_max_kb", 5120, _l("Largest photo of a receipt line or a discrepancy (KB)"),
            type="int", minimum=50, maximum=51200),
    Setting("warehouse.default_location", "A-01", _l("Location of new stock items"), type="str"),
    Setting("warehouse.discrepancy_days", 3, _l("Working days after which an open discrepancy is recalled"),
            _l("The purchaser hears of it again each time this passes."), type="int", minimum=1, maximum=60),
]
