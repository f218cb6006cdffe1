"""People named in a form field by their employee numbers 工号 (modules' owner, helper and attendee fields)."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import N_, Invalid
from .models import User

SEPARATORS = re.compile(r"[\s,，、;；]+")


def people_by_numbers(session: Session, text: str, field: str) -> list[int]:
    """Ids of active employees by the numbers a form field holds (separated by spaces or commas,
    full-width ones too), in the order given; Invalid beside ``field`` names the first unknown one."""
    numbers = [n for n in dict.fromkeys(SEPARATORS.split((text or "").strip())) if n]
    if not numbers:
        return []
    found = dict(session.execute(select(User.employee_no, User.id).where(User.employee_no.in_(numbers),
                                                                          User.active.is_(True))).all())
    for number in numbers:
        if number not in found:
            raise Invalid(N_("There is no active employee with number %(number)s."), field=field, number=number[:32])
    return [found[n] for n in numbers]
