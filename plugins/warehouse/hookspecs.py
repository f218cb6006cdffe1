"""Hooks the warehouse declares for other modules (added through intranet_addhooks); call them
with intranet.ask(...), never by importing this module."""
from intranet import hookspec


@hookspec(firstresult=True)
def warehouse_stock(item_code):
    """The quantity on hand of a stock item.

    :param item_code: the item's code (such as ``WH-000012``) or its name.
    :return: None (unknown item) or a Decimal.
    """


@hookspec(firstresult=True)
def warehouse_availability(item_code):
    """What sales may promise of an item.

    :return: None (unknown item) or {"on_hand": Decimal, "reserved": Decimal, "incoming": Decimal}, incoming
        being what open purchase orders still bring of the item (0 when procurement does not answer).
    """


@hookspec(firstresult=True)
def warehouse_supplier_deliveries(supplier_id, year):
    """A supplier's deliveries of a calendar year (company time zone), from signed receipts.

    :return: {"receipts": int, "on_time": int, "received_qty": Decimal, "rejected_qty": Decimal,
        "discrepancies": int}.
    """
