"""Hooks procurement declares for other modules (added through intranet_addhooks);
call them with intranet.ask(...), never by importing this module."""
from intranet import hookspec


@hookspec(firstresult=True)
def procurement_urgent_request_url(items):
    """The URL of a new purchase request form pre-filled with ``items``.

    :param items: a list of dicts {"item", "specification", "quantity": Decimal, "unit"} (a sales
        order's shortage, say).
    :return: a URL in this web request's application.
    """


@hookspec(firstresult=True)
def procurement_order(order_id):
    """A purchase order as the warehouse receives it.

    :return: None (no such order) or {"id", "number", "status", "title", "supplier_id", "supplier",
        "purchaser_id", "department_id", "expected_on", "url", "lines": [{"id", "item",
        "specification", "unit", "quantity": Decimal, "received": Decimal, "unit_price": Decimal}]}.
        Orders are open for receipts while "issued", "partly_received" or "pending".
    """


@hookspec(firstresult=True)
def procurement_open_orders(query, limit):
    """Orders open for receipts, newest first, as :func:`procurement_order` gives them.

    :param query: part of the order number ("" for all); :param limit: at most this many (≤ 100).
    """


@hookspec(firstresult=True)
def procurement_receipt_recorded(order_id, quantities, pending, actor_id, documents):
    """The warehouse took goods in against an order, in the receipt's own transaction.

    :param quantities: {order line id: Decimal accepted quantity} of this receipt.
    :param pending: True while a discrepancy of the order is unresolved (the order reads
        "pending resolution" until then).
    :param documents: the caller's :class:`intranet.documents.DocumentService` (its transaction and time).
    :return: the order's new status. Raises Conflict when the order is not open for receipts.
    """
