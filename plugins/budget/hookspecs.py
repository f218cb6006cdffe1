"""Hooks the budget module declares for other modules (added through intranet_addhooks)."""
from intranet import hookspec


@hookspec(firstresult=True)
def budget_remaining(department_id, category, on):
    """What remains of a department's budget for a cost category in the year of a day.

    Called by other modules (procurement, training, sales) through
    ``intranet.ask("budget_remaining", department_id=..., category=..., on=...)``; the answer
    is unavailable while the budget module is off ("no budget check was made").

    :param department_id: the department's id.
    :param category: a cost-category code of :mod:`intranet.reference` (``labour``, ``materials``...).
    :param on: a :class:`datetime.date`; its year picks the budget.
    :return: None when the department has no approved budget line for the category that year,
        else ``{"budget", "committed", "actual", "remaining": Decimal, "over_policy": "warn" |
        "step" | "block"}`` with ``budget = committed + actual + remaining``.
    """
