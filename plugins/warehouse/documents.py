"""The warehouse's documents as declarations: the goods receipt 入库单 and the discrepancy
record 到货异常单, with their numbers, statuses and printed forms."""
from __future__ import annotations

from intranet import lazy_gettext as _l
from intranet.documents import DocumentType, Field, LineTableSpec, NumberSeries, PrintForm, Scope, Status, StatusSet

from .models import Discrepancy, GoodsReceipt

RECEIVE = "warehouse.receive"
VIEW_ALL = "warehouse.view_all"
RESOLVE = "warehouse.resolve"
INSTALL = "warehouse.install"

RECEIPT_STATUSES = StatusSet(
    (Status("draft", _l("Checking"), "info", editable=True), Status("received", _l("Received"), "ok"),
     Status("cancelled", _l("Cancelled"), "muted")),
    {"draft": ("received", "cancelled")}, initial="draft")

DISCREPANCY_STATUSES = StatusSet(
    (Status("open", _l("Open"), "danger"), Status("resolved", _l("Resolved"), "ok")),
    {"open": ("resolved",)}, initial="open")

#: kinds of 到货异常 and how the purchaser settles one
KINDS = (("short", _l("Short")), ("damaged", _l("Damaged")), ("wrong_model", _l("Wrong model")))
RESOLUTIONS = (("replacement", _l("Replacement")), ("return", _l("Return")), ("credit", _l("Credit")))
KIND_LABELS = dict(KINDS)
RESOLUTION_LABELS = dict(RESOLUTIONS)

RECEIPT_LINES = (Field("item", _l("Item")), Field("specification", _l("Specification")),
                 Field("ordered", _l("Ordered"), "quantity"),
                 Field("quantity", _l("Counted"), "quantity"), Field("rejected", _l("Rejected"), "quantity"),
                 Field("appearance_ok", _l("Appearance OK"), "bool"),
                 Field("specification_ok", _l("Specification OK"), "bool"), Field("unit"),
                 Field("location", _l("Location")))

GOODS_RECEIPT = DocumentType(
    model=GoodsReceipt, title=_l("Goods receipt"), endpoint="warehouse.receipt",
    numbering=NumberSeries(prefix="GR"), statuses=RECEIPT_STATUSES, lines=("lines",),
    scope=Scope(widen=VIEW_ALL),
    printing=PrintForm(title_zh="入库单", fields=(
        "title", Field("order_number", _l("Purchase order")), Field("supplier_name", _l("Supplier")),
        Field("arrived_at", _l("Arrived"), "datetime"), Field("requester", _l("Warehouse keeper"), "person"),
        Field("signed_at", _l("Signed"), "datetime"), Field("signature", _l("Keeper's signature")),
        Field("status", format="status")),
        tables=(LineTableSpec("lines", _l("Items"), RECEIPT_LINES),), text=("remarks",)))

DISCREPANCY = DocumentType(
    model=Discrepancy, title=_l("Discrepancy"), endpoint="warehouse.discrepancy",
    numbering=NumberSeries(prefix="DR"), statuses=DISCREPANCY_STATUSES, scope=Scope(widen=VIEW_ALL),
    printing=PrintForm(title_zh="到货异常单", fields=(
        "title", Field("order_number", _l("Purchase order")), Field("supplier_name", _l("Supplier")),
        Field("kind", _l("Kind"), "choice", choices=KIND_LABELS), "item",
        Field("quantity", format="quantity"), "unit", Field("requester", _l("Warehouse keeper"), "person"),
        Field("resolution", _l("Resolution"), "choice", choices=RESOLUTION_LABELS),
        Field("resolved_at", _l("Resolved"), "datetime"), Field("status", format="status")),
        text=("description", "resolution_note")))
