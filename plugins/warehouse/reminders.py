"""The warehouse's deadlines: a receipt is signed within ``warehouse.receive_hours`` working
hours of arrival (the keeper is reminded, then the warehouse head), and open discrepancies are
recalled to the purchaser."""
from __future__ import annotations

from sqlalchemy import select

from intranet import N_
from intranet import lazy_gettext as _l
from intranet.notify import Reminder, ReminderScanner
from intranet.org import Department

from .models import Discrepancy, GoodsReceipt

LIMIT = 500


def late_receipts(ctx):
    """Receipts still being checked after the deadline: the keeper first; once the further
    ``warehouse.escalate_hours`` have passed, the head of the keeper's department too."""
    hours, escalate = ctx.settings["warehouse.receive_hours"], ctx.settings["warehouse.escalate_hours"]
    rows = ctx.session.execute(select(GoodsReceipt.id, GoodsReceipt.number, GoodsReceipt.order_number,
                                      GoodsReceipt.requester_id, GoodsReceipt.department_id, GoodsReceipt.arrived_at)
                               .where(GoodsReceipt.status == "draft").order_by(GoodsReceipt.arrived_at)
                               .limit(LIMIT)).all()
    tree = {d: (head, parent) for d, head, parent in ctx.session.execute(
        select(Department.id, Department.head_id, Department.parent_id))} if rows else {}
    for receipt_id, number, order_number, keeper_id, department_id, arrived_at in rows:
        due = ctx.calendar.add_working_hours(arrived_at, hours)
        if ctx.now < due:
            continue
        url = ctx.url_for("warehouse.receipt", document_id=receipt_id)
        params = {"number": number, "order": order_number}
        yield Reminder(key=f"warehouse.late:{receipt_id}", user_id=keeper_id, module="warehouse",
                       message=N_("Goods receipt %(number)s of order %(order)s is due: sign it now"),
                       params=params, url=url)
        if ctx.now >= ctx.calendar.add_working_hours(due, escalate):
            head_id = _head_above(tree, department_id, keeper_id)
            if head_id:
                yield Reminder(key=f"warehouse.late_head:{receipt_id}", user_id=head_id, module="warehouse",
                               message=N_("Goods receipt %(number)s of order %(order)s is overdue"),
                               params=params, url=url)


def _head_above(tree: dict, department_id: int | None, keeper_id: int) -> int | None:
    """The head of the keeper's department, or the next one up when the keeper heads it."""
    seen = set()
    while department_id in tree and department_id not in seen:
        seen.add(department_id)
        head_id, parent_id = tree[department_id]
        if head_id and head_id != keeper_id:
            return head_id
        department_id = parent_id
    return None


def open_discrepancies(ctx):
    """Each open discrepancy is recalled to its purchaser every ``warehouse.discrepancy_days`` working days."""
    days = ctx.settings["warehouse.discrepancy_days"]
    rows = ctx.session.execute(select(Discrepancy.id, Discrepancy.number, Discrepancy.order_number,
                                      Discrepancy.purchaser_id, Discrepancy.created_at)
                               .where(Discrepancy.status == "open").order_by(Discrepancy.id).limit(LIMIT)).all()
    for record_id, number, order_number, purchaser_id, created_at in rows:
        if purchaser_id is None:
            continue
        waited = ctx.calendar.working_days_between(ctx.calendar.today(created_at), ctx.calendar.today(ctx.now))
        if waited < days:
            continue
        yield Reminder(key=f"warehouse.discrepancy:{record_id}:{waited // days}", user_id=purchaser_id,
                       module="warehouse", message=N_("Discrepancy %(number)s of order %(order)s is still open"),
                       params={"number": number, "order": order_number},
                       url=ctx.url_for("warehouse.discrepancy", document_id=record_id))


def scanners() -> list[ReminderScanner]:
    return [ReminderScanner("warehouse.late", _l("Goods receipts not signed within the deadline"), late_receipts),
            ReminderScanner("warehouse.discrepancies", _l("Open discrepancies"), open_discrepancies)]
