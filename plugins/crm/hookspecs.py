"""Hooks the CRM declares for other modules (sales), called through ``intranet.ask``."""
from intranet import hookspec


@hookspec(firstresult=True)
def crm_customer(customer_id):
    """A customer as orders see it.

    :param customer_id: the customer's id.
    :return: None when there is no such customer, else a dict ``{"id", "number", "name",
        "terms_approved": bool, "discount": Decimal (approved largest discount, %),
        "payment_terms": str, "owner_id", "url"}``.
    """


@hookspec
def crm_log_contact(customer_id, channel, person_id, result, at):
    """Log a contact (a follow-up survey, a delivery call) on the customer's timeline.

    :param customer_id: the customer's id; an unknown id is ignored.
    :param channel: how (e.g. "回访"); ``person_id``: who; ``result``: what came of it;
        ``at``: when (UTC).
    :return: None.
    """


@hookspec(firstresult=True)
def crm_quotation(quotation_id):
    """An accepted or sent quotation 报价单, for a sales order made from it.

    :param quotation_id: the quotation's id.
    :return: None when there is none, else ``{"id", "number", "customer_id", "status", "total",
        "requester_id", "lines": [{"product", "specification", "quantity": Decimal, "unit",
        "unit_price": Decimal}]}``.
    """
