"""The meetings module's settings: every number of the handbook is one."""
from intranet import lazy_gettext as _l
from intranet.settings import Setting

SETTINGS = [
    Setting("meetings.notice_working_days", 2, _l("Working days ahead a notice is sent"),
            _l("A later notice needs a reason and is marked short notice."), minimum=0, maximum=30),
    Setting("meetings.max_agenda_items", 5, _l("Most agenda items"), minimum=1, maximum=50),
    Setting("meetings.max_agenda_minutes", 120, _l("Most minutes of agenda in total"), minimum=10, maximum=1440),
    Setting("meetings.absence_notice_hours", 24, _l("Hours ahead an absence is declared"), minimum=0, maximum=240),
    Setting("meetings.sign_in_minutes", 10, _l("Minutes after the start a sign-in is on time"), minimum=0,
            maximum=120),
    Setting("meetings.sign_in_opens_minutes", 30, _l("Minutes before the start the sign-in opens"), minimum=0,
            maximum=240),
    Setting("meetings.release_after_minutes", 15, _l("Minutes after the start an empty room is released"),
            minimum=5, maximum=240),
    Setting("meetings.minutes_due_hours", 24, _l("Hours after the meeting the minutes are due"), minimum=1,
            maximum=240),
    Setting("meetings.distribution_working_days", 1, _l("Working days to send approved minutes to attendees"),
            minimum=0, maximum=10),
    Setting("meetings.grid_start_hour", 8, _l("First hour of the booking grid"), minimum=0, maximum=23),
    Setting("meetings.grid_end_hour", 20, _l("Last hour of the booking grid"), minimum=1, maximum=24),
    Setting("meetings.vague_owners", ("相关部门", "有关部门", "各部门", "the relevant department",
                                      "relevant departments"),
            _l("Words that are not an owner of an action item"), type="list"),
]
