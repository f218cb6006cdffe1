"""The tasks module's settings: every number of the handbook is one."""
from intranet import lazy_gettext as _l
from intranet.settings import Setting

SETTINGS = [
    Setting("tasks.delay_after_days", 1, _l("Days past the due date after which a task is delayed"),
            _l("A delayed task needs a reason and a new plan from its owner."), minimum=0, maximum=30),
    Setting("tasks.escalate_after_days", 1, _l("Working days without a reason before the owner's manager hears"),
            minimum=0, maximum=30),
    Setting("tasks.remind_before_days", 1, _l("Days before the due date to remind the owner"), minimum=0,
            maximum=30),
    Setting("tasks.goal_min_length", 20, _l("Characters below which a one-line goal is flagged as vague"),
            minimum=0, maximum=500),
    Setting("tasks.max_helpers", 10, _l("Most helpers on one task"), minimum=0, maximum=100),
    Setting("tasks.max_milestones", 20, _l("Most milestones on one task"), minimum=0, maximum=100),
    Setting("tasks.board_cards", 30, _l("Cards shown per column of the board"), minimum=5, maximum=200),
    Setting("tasks.timeline_rows", 40, _l("Tasks drawn on the timeline"), minimum=5, maximum=200),
]
