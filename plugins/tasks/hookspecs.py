"""Hooks the tasks module declares for other modules (added through intranet_addhooks)."""
from intranet import hookspec


@hookspec(firstresult=True)
def tasks_create(source, title, owner_id, due, requester_id, goal, acceptance):
    """Create a task for another module's document (an action item of meeting minutes).

    Called through ``intranet.ask("tasks_create", ...)``; the answer is unavailable when the
    tasks module is off.

    :param source: a stable key of the origin, ``<module>.<document>:<id>:<item>``
        (e.g. ``"meetings.minutes:42:3"``), so that the origin can find its tasks again.
    :param title: the task's name.
    :param owner_id: the one owner's user id.
    :param due: the due date (:class:`datetime.date`).
    :param requester_id: who assigns it (accepts the deliverable).
    :param goal: the goal, optional.
    :param acceptance: the acceptance standard, optional.
    :return: the new task's id. Raises :class:`intranet.Invalid` for a missing owner or date.
    """


@hookspec(firstresult=True)
def tasks_of_source(prefix):
    """The tasks whose source starts with ``prefix`` (a meeting's action items).

    :param prefix: e.g. ``"meetings.minutes:42:"``.
    :return: a list of dicts ``{"id", "number", "title", "owner_id", "due", "status", "progress", "url"}``,
        oldest first.
    """
