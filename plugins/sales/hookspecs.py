"""Hooks the sales module declares for other modules (the CRM), called through ``intranet.ask``."""
from intranet import hookspec


@hookspec(firstresult=True)
def sales_customer_orders(since):
    """Orders per customer since a day, for the CRM's ABC/RFM segmentation.

    :param since: a :class:`datetime.date`; orders created on or after it that were reviewed
        (approved, shipped, delivered, followed up) count.
    :return: a list of dicts ``{"customer_id", "orders": int, "revenue": Decimal, "last_order": date}``.
    """


@hookspec(firstresult=True)
def sales_order_from_quotation(quotation_id, actor_id):
    """Make a draft sales order from an accepted quotation (read with ``crm_quotation``), in the
    caller's transaction.

    :param quotation_id: the quotation's id; ``actor_id``: the salesperson, who becomes the
        order's requester.
    :return: ``{"id", "number", "url"}`` of the new order, or None when the quotation is unknown.
    """
