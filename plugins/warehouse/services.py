"""The rules of the warehouse 验收入库, without Flask: goods receipts checked line by line
against a purchase order, discrepancy records, stock and its movements, and what other modules
read of them. The purchase order lives in procurement and is reached through its hooks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intranet import N_, Conflict, Forbidden, Invalid, ask
from intranet.approvals import content_hash
from intranet.auth import holders
from intranet.calendar import period_bounds, period_of
from intranet.documents import Attachment, DocumentService, attach, line_attachments
from intranet.files import FileRules
from intranet.notify import notify

from .documents import DISCREPANCY, GOODS_RECEIPT, INSTALL, RESOLUTION_LABELS
from .models import Discrepancy, GoodsReceipt, ReceiptLine, StockItem, StockMovement

MAX_QUANTITY = Decimal("1e7")
#: the order statuses procurement receives against (procurement_order's docstring)
RECEIVABLE = ("issued", "partly_received", "pending")
PHOTO_TYPES = ("png", "jpg", "jpeg")


def item_key(name: str, specification: str = "") -> str:
    """How receipts find a stock item again: name and specification, case and spacing ignored."""
    return " | ".join(" ".join((text or "").split()).casefold() for text in (name, specification))[:310]


def photo_rules(settings) -> FileRules:
    return FileRules(max_bytes=settings["warehouse.photo_max_kb"] * 1024, extensions=PHOTO_TYPES)


# -- opening a receipt when goods arrive ----------------------------------------------------
def open_receipt(documents: DocumentService, order: dict | None, keeper, *, arrived_at: datetime,
                 location: str) -> GoodsReceipt:
    """A draft receipt with one line per order line still open, counted as announced until the
    keeper says otherwise. Only an issued (approved) order that is still open can be received."""
    if order is None:
        raise Invalid(N_("Choose a purchase order."), field="order")
    if order["status"] not in RECEIVABLE:
        raise Invalid(N_("Order %(number)s is not open for receipts."), field="order", number=order["number"])
    lines = [line for line in order["lines"] if line["quantity"] > line["received"]]
    if not lines:
        raise Invalid(N_("Every item of order %(number)s is received."), field="order", number=order["number"])
    receipt = GoodsReceipt(title=order["title"][:200], order_id=order["id"], order_number=order["number"],
                           supplier_id=order["supplier_id"], supplier_name=(order["supplier"] or "")[:200],
                           purchaser_id=order["purchaser_id"], arrived_at=arrived_at,
                           expected_on=order["expected_on"])
    receipt.lines = [ReceiptLine(position=i, order_line_id=line["id"], item=line["item"],
                                 specification=line["specification"] or "", unit=line["unit"],
                                 ordered=line["quantity"], open_quantity=line["quantity"] - line["received"],
                                 delivered=line["quantity"] - line["received"],
                                 quantity=line["quantity"] - line["received"], location=location)
                     for i, line in enumerate(lines)]
    return documents.create(receipt, keeper)


# -- the keeper's checks ------------------------------------------------------------------
@dataclass
class LineCheck:
    """What the keeper found on one line: counted, the two checks, how many fail them."""

    delivered: Decimal | None
    quantity: Decimal | None
    rejected: Decimal | None = Decimal(0)
    appearance_ok: bool = True
    specification_ok: bool = True
    location: str = ""
    needs_installation: bool = False
    exception_reason: str = ""


def _quantity(value: Decimal | None, field: str, *, allow_zero: bool = True) -> Decimal:
    if value is None or value < 0 or value >= MAX_QUANTITY or (value == 0 and not allow_zero):
        raise Invalid(N_("Enter a quantity of 0 or more and below %(max)s."), field=field, max="10,000,000")
    return value


def record_checks(documents: DocumentService, receipt: GoodsReceipt, checks: list[LineCheck], actor_id: int,
                  remarks: str = "") -> GoodsReceipt:
    """Save the keeper's findings on a draft receipt. A line that fails its check rejects what
    fails and accepts the rest; over-receipt is refused unless recorded as an exception."""
    documents.check_editable(receipt, actor_id)
    if len(checks) != len(receipt.lines):
        raise Invalid(N_("The receipt's items changed; open it again."), field="lines")
    for number, (line, check) in enumerate(zip(receipt.lines, checks)):
        prefix = f"lines-{number}-"
        delivered = _quantity(check.delivered, prefix + "delivered")
        quantity = _quantity(check.quantity, prefix + "quantity")
        rejected = _quantity(check.rejected if check.rejected is not None else Decimal(0), prefix + "rejected")
        if rejected > quantity:
            raise Invalid(N_("At most the counted quantity can be rejected."), field=prefix + "rejected")
        failed = not (check.appearance_ok and check.specification_ok)
        if failed and rejected == 0:
            rejected = quantity  # a failed check with no count given rejects the whole line
        if rejected and not failed:
            raise Invalid(N_("Say which check the rejected goods fail."), field=prefix + "appearance_ok")
        reason = (check.exception_reason or "").strip()[:300]
        if quantity - rejected > line.open_quantity and not reason:
            raise Invalid(N_("More than the %(open)s still open on the order: record the over-receipt as an "
                             "exception with its reason, or count only what is ordered."),
                          field=prefix + "quantity", open=f"{line.open_quantity.normalize():f}")
        line.delivered, line.quantity, line.rejected = delivered, quantity, rejected
        line.appearance_ok, line.specification_ok = check.appearance_ok, check.specification_ok
        line.location = (check.location or "").strip()[:60] or line.location
        line.needs_installation = check.needs_installation
        line.exception_reason = reason if quantity - rejected > line.open_quantity else ""
    receipt.remarks = (remarks or "").strip()[:2000]
    documents.session.flush()
    return receipt


def attach_photo(documents: DocumentService, receipt: GoodsReceipt, line_id: int, upload, *, rules: FileRules,
                 actor_id: int) -> Attachment:
    """A photo of one line (images only, size-limited), while the receipt is being checked."""
    documents.check_editable(receipt, actor_id)
    if line_id not in {line.id for line in receipt.lines}:
        raise Invalid(N_("This line is not on the receipt."), field="photo")
    return attach(documents.session, GOODS_RECEIPT, receipt, upload, rules=rules, user_id=actor_id, line_id=line_id,
                  slot="photo", images_only=True, field="photo")


# -- signing: stock, discrepancies and the order in one transaction -------------------------------
def sign(documents: DocumentService, receipt: GoodsReceipt, keeper_id: int, *, tz) -> GoodsReceipt:
    """The keeper signs the checked receipt. In this one transaction: accepted goods go into
    stock with a movement each, every failed check becomes a discrepancy record with the
    line's photos, the purchaser (and IT for items to install) are notified, and procurement
    moves the order (pending while any discrepancy of it is open)."""
    session = documents.session
    if keeper_id != receipt.requester_id:
        raise Forbidden(N_("Only the keeper who checks the receipt signs it."))
    documents.lock(receipt)
    if receipt.status != "draft":
        raise Conflict(N_("This receipt is already signed."))
    order = ask("procurement_order", order_id=receipt.order_id).value
    if order is None or order["status"] not in RECEIVABLE:
        raise Conflict(N_("Order %(number)s is not open for receipts."), number=receipt.order_number)
    still_open = {line["id"]: line["quantity"] - line["received"] for line in order["lines"]}
    for number, line in enumerate(receipt.lines):
        if line.accepted > still_open.get(line.order_line_id, Decimal(0)) and not line.exception_reason:
            raise Invalid(N_("More than the %(open)s still open on the order: record the over-receipt as an "
                             "exception with its reason, or count only what is ordered."),
                          field=f"lines-{number}-quantity",
                          open=f"{still_open.get(line.order_line_id, Decimal(0)).normalize():f}")
    if not any(line.quantity or line.delivered for line in receipt.lines):
        raise Invalid(N_("Count at least one item."), field="lines")
    now = documents.now
    installing = _book_stock(session, receipt, keeper_id, now)
    opened = _discrepancies(documents, receipt)
    pending = bool(opened) or open_discrepancies(session, receipt.order_id) > 0
    answer = ask("procurement_receipt_recorded", order_id=receipt.order_id,
                 quantities={line.order_line_id: line.accepted for line in receipt.lines if line.accepted},
                 pending=pending, actor_id=keeper_id, documents=documents)
    if not answer.available:
        raise Conflict(N_("Procurement is switched off: receipts cannot be recorded."))
    if receipt.expected_on is not None:
        receipt.on_time = period_of(receipt.arrived_at, "day", tz) <= receipt.expected_on.isoformat()
    receipt.signed_by_id, receipt.signed_at = keeper_id, now
    receipt.signature = content_hash({"content": GOODS_RECEIPT.signed_content(receipt), "signer": keeper_id,
                                      "at": now.isoformat()})
    documents.move(receipt, "received", actor_id=keeper_id)
    if opened and receipt.purchaser_id:
        notify(session, [receipt.purchaser_id], N_("Goods receipt %(number)s of order %(order)s has %(count)s "
                                                   "discrepancies to resolve"),
               params={"number": receipt.number, "order": receipt.order_number, "count": len(opened)},
               url=f"/warehouse/discrepancies/?order={receipt.order_number}", module="warehouse")
    if installing:
        notify(session, holders(session, INSTALL), N_("Items to install from goods receipt %(number)s: %(items)s"),
               params={"number": receipt.number, "items": ", ".join(installing)},
               url="/warehouse/stock/?installation=1", module="warehouse")
    return receipt


def _book_stock(session: Session, receipt: GoodsReceipt, actor_id: int, now: datetime) -> list[str]:
    """Add each line's accepted goods to its stock item (found by name and specification, or new)."""
    accepted = [line for line in receipt.lines if line.accepted > 0]
    keys = {item_key(line.item, line.specification) for line in accepted}
    items = {item.key: item for item in session.scalars(
        select(StockItem).where(StockItem.key.in_(keys)).with_for_update())} if keys else {}
    installing = []
    for line in accepted:
        key = item_key(line.item, line.specification)
        item = items.get(key)
        if item is None:
            item = items[key] = StockItem(code="", key=key, name=line.item, specification=line.specification,
                                          unit=line.unit, location=line.location, quantity=Decimal(0))
            session.add(item)
            session.flush()
            item.code = f"WH-{item.id:06d}"
        item.quantity = (item.quantity or Decimal(0)) + line.accepted
        item.location = line.location or item.location
        item.updated_at = now
        if line.needs_installation:
            item.pending_installation = True
            installing.append(line.item)
        line.stock_item_id = item.id
        session.add(StockMovement(item_id=item.id, at=now, kind="receipt", quantity=line.accepted,
                                  balance=item.quantity, receipt_id=receipt.id,
                                  reference=f"{receipt.number} / {receipt.order_number}", actor_id=actor_id))
    session.flush()
    return installing


def _discrepancies(documents: DocumentService, receipt: GoodsReceipt) -> list[Discrepancy]:
    """One record per failed check: short (counted under the delivery note), damaged
    (appearance), wrong model (specification); each carries the line's photos."""
    session = documents.session
    photos = line_attachments(session, GOODS_RECEIPT, receipt, slot="photo")
    keeper = receipt.requester
    opened = []
    for line in receipt.lines:
        found = []
        if line.delivered > line.quantity:
            found.append(("short", line.delivered - line.quantity))
        if not line.appearance_ok:
            found.append(("damaged", line.rejected))
        if not line.specification_ok:
            found.append(("wrong_model", line.rejected))
        for kind, quantity in found:
            record = Discrepancy(title=f"{receipt.order_number} {line.item}"[:200], receipt_id=receipt.id,
                                 receipt_line_id=line.id, order_id=receipt.order_id,
                                 order_number=receipt.order_number, supplier_id=receipt.supplier_id,
                                 supplier_name=receipt.supplier_name, purchaser_id=receipt.purchaser_id, kind=kind,
                                 item=line.item, quantity=quantity, unit=line.unit,
                                 description=receipt.remarks[:1000], department_id=receipt.department_id)
            documents.create(record, keeper)
            for photo in photos.get(line.id, []):
                session.add(Attachment(type_key=DISCREPANCY.key, document_id=record.id, slot="photo",
                                       file_id=photo.file_id, created_by_id=photo.created_by_id))
            opened.append(record)
    session.flush()
    return opened


def open_discrepancies(session: Session, order_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Discrepancy).where(
        Discrepancy.order_id == order_id, Discrepancy.status == "open")) or 0


def cancel(documents: DocumentService, receipt: GoodsReceipt, actor_id: int) -> None:
    """A receipt opened by mistake (nothing arrived) is cancelled, never deleted."""
    documents.check_editable(receipt, actor_id)
    documents.move(receipt, "cancelled", actor_id=actor_id)


# -- resolving a discrepancy ---------------------------------------------------------------
def resolve(documents: DocumentService, record: Discrepancy, *, resolution: str, note: str, actor_id: int,
            allowed: bool) -> Discrepancy:
    """The purchaser settles a discrepancy (replacement, return or credit); the order leaves
    "pending" once none of its discrepancies is open."""
    if not allowed:
        raise Forbidden(N_("Only purchasers resolve discrepancies."))
    if resolution not in RESOLUTION_LABELS:
        raise Invalid(N_("Choose replacement, return or credit."), field="resolution")
    note = (note or "").strip()
    if not note:
        raise Invalid(N_("Say what was agreed with the supplier."), field="note")
    documents.lock(record)
    if record.status != "open":
        raise Conflict(N_("This discrepancy is already resolved."))
    record.resolution, record.resolution_note = resolution, note[:1000]
    record.resolved_at, record.resolved_by_id = documents.now, actor_id
    documents.move(record, "resolved", actor_id=actor_id)
    if open_discrepancies(documents.session, record.order_id) == 0:
        ask("procurement_receipt_recorded", order_id=record.order_id, quantities={}, pending=False,
            actor_id=actor_id, documents=documents)
    return record


def attach_discrepancy_photo(documents: DocumentService, record: Discrepancy, upload, *, rules: FileRules,
                             actor_id: int) -> Attachment:
    if record.status != "open":
        raise Conflict(N_("This discrepancy is already resolved."))
    return attach(documents.session, DISCREPANCY, record, upload, rules=rules, user_id=actor_id, slot="photo",
                  images_only=True, field="photo")


# -- stock ---------------------------------------------------------------------------
def installed(session: Session, item: StockItem, *, allowed: bool) -> None:
    """IT has installed the item: it is no longer pending installation."""
    if not allowed:
        raise Forbidden(N_("Only IT marks items as installed."))
    if not item.pending_installation:
        raise Conflict(N_("This item is not pending installation."))
    item.pending_installation = False
    session.flush()


def find_item(session: Session, code: str) -> StockItem | None:
    """An item by its code, else by its name (the first specification)."""
    code = (code or "").strip()[:100]
    if not code:
        return None
    return session.scalar(select(StockItem).where(StockItem.code == code)) or session.scalar(
        select(StockItem).where(StockItem.name == code).order_by(StockItem.id).limit(1))


def availability(session: Session, code: str, open_orders: list[dict] | None) -> dict | None:
    """On hand, reserved, and what open purchase orders still bring of the item."""
    item = find_item(session, code)
    if item is None:
        return None
    incoming = sum((line["quantity"] - line["received"] for order in open_orders or ()
                    for line in order["lines"]
                    if item_key(line["item"], line["specification"]) == item.key
                    and line["quantity"] > line["received"]), Decimal(0))
    return {"on_hand": item.quantity, "reserved": item.reserved, "incoming": incoming}


def supplier_deliveries(session: Session, supplier_id: int, year: int, tz) -> dict:
    """A supplier's signed receipts of a year: on time, received and rejected, discrepancies."""
    start, end = period_bounds(f"{year:04d}", "year", tz)
    receipts, on_time = session.execute(
        select(func.count(), func.count().filter(GoodsReceipt.on_time.is_(True))).select_from(GoodsReceipt)
        .where(GoodsReceipt.supplier_id == supplier_id, GoodsReceipt.status == "received",
               GoodsReceipt.arrived_at >= start, GoodsReceipt.arrived_at < end)).one()
    received, rejected = session.execute(
        select(func.coalesce(func.sum(ReceiptLine.quantity), 0), func.coalesce(func.sum(ReceiptLine.rejected), 0))
        .join(GoodsReceipt, GoodsReceipt.id == ReceiptLine.receipt_id)
        .where(GoodsReceipt.supplier_id == supplier_id, GoodsReceipt.status == "received",
               GoodsReceipt.arrived_at >= start, GoodsReceipt.arrived_at < end)).one()
    discrepancies = session.scalar(select(func.count()).select_from(Discrepancy).where(
        Discrepancy.supplier_id == supplier_id, Discrepancy.created_at >= start, Discrepancy.created_at < end))
    return {"receipts": receipts, "on_time": on_time, "received_qty": Decimal(received),
            "rejected_qty": Decimal(rejected), "discrepancies": discrepancies or 0}
