"""Procurement's warnings in the notifications: finance hears of the month's repeat purchases,
purchasers of approved requests still waiting for an order."""
from __future__ import annotations

from sqlalchemy import select

from intranet import N_
from intranet import lazy_gettext as _l
from intranet.auth import holders
from intranet.calendar import period_of
from intranet.notify import Reminder, ReminderScanner

from . import services
from .documents import PURCHASE
from .models import PurchaseRequest


def repeat_purchases(ctx):
    """Once a month, finance gets the repeat-purchase list (the same item, the same department,
    ``procurement.repeat_months`` months in a row) when it is not empty."""
    month = period_of(ctx.now, "month", ctx.calendar.tz)
    rows = services.repeat_report(ctx.session, month, ctx.settings["procurement.repeat_months"], ctx.calendar.tz)
    if not rows:
        return
    for user_id in holders(ctx.session, "procurement.repeats"):
        yield Reminder(key=f"procurement.repeats:{month}", user_id=user_id, module="procurement",
                       message=N_("%(count)s repeat purchases in %(month)s"),
                       params={"count": len(rows), "month": month},
                       url=ctx.url_for("procurement.repeats", month=month))


def waiting_orders(ctx):
    """Purchasers hear of each approved request still waiting for quotations and an order."""
    waiting = ctx.session.execute(select(PurchaseRequest.id, PurchaseRequest.number, PurchaseRequest.title)
                                  .where(PurchaseRequest.status == "approved")
                                  .order_by(PurchaseRequest.id).limit(200)).all()
    if not waiting:
        return
    purchasers = holders(ctx.session, PURCHASE)
    for request_id, number, title in waiting:
        for user_id in purchasers:
            yield Reminder(key=f"procurement.to_order:{request_id}", user_id=user_id, module="procurement",
                           message=N_("Purchase request %(number)s %(title)s is approved: collect quotations and order"),
                           params={"number": number, "title": title},
                           url=ctx.url_for("procurement.request", document_id=request_id))


def scanners() -> list[ReminderScanner]:
    return [ReminderScanner("procurement.repeats", _l("Repeat purchases of the month"), repeat_purchases),
            ReminderScanner("procurement.to_order", _l("Approved purchase requests waiting for an order"),
                            waiting_orders)]
