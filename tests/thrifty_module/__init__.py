"""A module that uses the example module when it is on (proves optional dependencies,
asking another module's declared hook, and subscribing to document events)."""
from decimal import Decimal

from flask import Blueprint

from intranet import Conflict, ModuleInfo, ask, hookimpl
from intranet.documents import Panel
from intranet.notify import notify
from intranet.settings import Setting
from intranet.web import employee, settings

bp = Blueprint("thrifty", __name__, template_folder="templates")


@bp.get("/stock/<item>")
@employee
def stock(item):
    answer = ask("example_stock", item=item)
    if not answer.available:
        return {"stock": "no stock check was made"}
    return {"stock": "unknown item" if answer.value is None else str(answer.value)}


@hookimpl
def intranet_module():
    return ModuleInfo(key="thrifty", title="Thrifty", uses=("example",))


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_settings():
    return [Setting("thrifty.limit", Decimal(0), "Largest order approved (0: no limit)", type="decimal", minimum=0)]


@hookimpl
def intranet_detail_panels(type_key, document, user):
    if type_key != "example.order":
        return []
    answer = ask("example_stock", item=document.lines[0].item if document.lines else "")
    context = {"stock": answer.value, "limit": settings()["thrifty.limit"]}
    return [Panel("Thrifty check", "thrifty/_panel.html", context)]


@hookimpl
def intranet_document_event(event):
    if event.type_key != "example.order" or event.name != "approved":
        return
    limit = settings()["thrifty.limit"]
    if limit and event.document.amount > limit:
        raise Conflict("Over the thrifty limit of %(limit)s.", limit=limit)
    notify(event.session, [event.document.requester_id], "Reserved %(amount)s for %(number)s",
           params={"amount": str(event.document.amount), "number": event.document.number}, module="thrifty")
