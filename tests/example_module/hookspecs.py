"""Hooks the example module declares for other modules (see intranet_addhooks)."""
from intranet import hookspec


@hookspec(firstresult=True)
def example_stock(item):
    """How many of ``item`` the example module has in stock.

    Called by other modules through :func:`intranet.ask`, only while the example module is on.

    :param item: the item's name.
    :return: a :class:`~decimal.Decimal`, or None when the item is unknown.
    """
