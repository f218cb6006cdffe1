"""Demo warehouse: the demo's purchase orders received in part, one damaged line recorded as a
discrepancy, and a few stock items of the office."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from intranet import ask

from . import services
from .models import StockItem, StockMovement

SHELF = (("A4 打印纸", "70g 500张/包", "包", "A-01", "120"), ("签字笔", "0.5mm 黑色", "盒", "A-02", "40"),
         ("笔记本电脑", "14英寸 i7 16G", "台", "B-01", "6"), ("网线", "六类 3米", "根", "B-03", "85"),
         ("墨盒", "HP 803 黑色", "个", "A-03", "12"))


def create(session, company) -> None:
    keeper = company.users["luojun"]
    for name, spec, unit, location, quantity in SHELF:
        item = StockItem(code="", key=services.item_key(name, spec), name=name, specification=spec, unit=unit,
                         location=location, quantity=Decimal(quantity), updated_at=company.now)
        session.add(item)
        session.flush()
        item.code = f"WH-{item.id:06d}"
        session.add(StockMovement(item_id=item.id, at=company.now - timedelta(days=30), kind="opening",
                                  quantity=item.quantity, balance=item.quantity, reference="期初库存",
                                  actor_id=keeper.id))
    orders = ask("procurement_open_orders", query="", limit=5).value or []
    documents = company.documents
    for order in orders[:1]:
        company.at(documents.now + timedelta(hours=2))
        receipt = services.open_receipt(documents, order, keeper, arrived_at=documents.now, location="B-02")
        checks = []
        for number, line in enumerate(receipt.lines):
            if number == 0 and line.open_quantity > 1:
                # one unit arrived with a cracked screen
                checks.append(services.LineCheck(delivered=line.open_quantity, quantity=line.open_quantity,
                                                 rejected=Decimal(1), appearance_ok=False, location="B-02",
                                                 needs_installation=True))
            else:
                checks.append(services.LineCheck(delivered=line.open_quantity, quantity=line.open_quantity,
                                                 location="B-02"))
        services.record_checks(documents, receipt, checks, keeper.id, remarks="外包装破损一处，已拍照。")
        company.at(documents.now + timedelta(hours=1))
        services.sign(documents, receipt, keeper.id, tz=documents.engine.calendar.tz)
    session.flush()
