"""Procurement and warehouse lists at 100,000 documents each (issue 11's speed goal: p95 ≤ 50 ms
server time per page on SQLite and PostgreSQL), and signing a goods receipt of 50 lines (≤ 100 ms).

    .venv/bin/python bench/module_lists.py --db sqlite --rows 100000
"""
from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import fresh_app, report, summary, timed  # noqa: E402

PAGES = ("/procurement/", "/procurement/?sort=total", "/procurement/orders/", "/procurement/orders/?status=issued",
         "/warehouse/", "/warehouse/?status=received", "/warehouse/stock/", "/warehouse/stock/?sort=quantity",
         "/warehouse/discrepancies/")


def fill(app, rows: int) -> dict:
    from sqlalchemy import insert

    from intranet import db, utcnow
    from intranet.org.demo import create_demo_company
    from plugins.procurement.models import PurchaseOrder, PurchaseRequest, Quotation, Supplier
    from plugins.warehouse.models import GoodsReceipt, StockItem

    with app.app_context():
        company = create_demo_company(db.session, hash_method=app.config["PASSWORD_HASH_METHOD"])
        people = list(company.users.values())
        supplier = Supplier(name="联想", category="it")
        db.session.add(supplier)
        db.session.flush()
        now = utcnow()
        batch = 5000
        for start in range(0, rows, batch):
            chunk = range(start, min(rows, start + batch))
            db.session.execute(insert(PurchaseRequest), [dict(
                number=f"PR-B-{i:07d}", status=("draft", "pending", "approved", "ordered")[i % 4],
                requester_id=people[i % len(people)].id, department_id=people[i % len(people)].department_id,
                created_at=now - timedelta(minutes=i), updated_at=now, title=f"采购 {i}", cost_category="materials",
                total=Decimal(i % 9000 + 100)) for i in chunk])
        db.session.flush()
        request_id = db.session.scalar(db.select(PurchaseRequest.id).limit(1))
        quotation = Quotation(request_id=request_id, supplier_id=supplier.id, lead_days=3, service_score=80,
                              created_by_id=people[0].id)
        db.session.add(quotation)
        db.session.flush()
        for start in range(0, rows, batch):
            chunk = range(start, min(rows, start + batch))
            db.session.execute(insert(PurchaseOrder), [dict(
                number=f"PO-B-{i:07d}", status=("issued", "partly_received", "received")[i % 3],
                requester_id=people[i % len(people)].id, department_id=people[i % len(people)].department_id,
                created_at=now - timedelta(minutes=i), updated_at=now, title=f"订单 {i}", request_id=request_id,
                quotation_id=quotation.id, supplier_id=supplier.id, total=Decimal(i % 9000 + 100)) for i in chunk])
            db.session.execute(insert(GoodsReceipt), [dict(
                number=f"GR-B-{i:07d}", status=("draft", "received")[i % 2],
                requester_id=people[i % len(people)].id, department_id=people[i % len(people)].department_id,
                created_at=now - timedelta(minutes=i), updated_at=now, arrived_at=now - timedelta(minutes=i),
                title=f"入库 {i}", order_id=i + 1, order_number=f"PO-B-{i:07d}", supplier_id=supplier.id)
                for i in chunk])
            db.session.execute(insert(StockItem), [dict(
                code=f"WH-B{i:07d}", key=f"物品 {i} | 规格", name=f"物品 {i}", specification="规格", unit="个",
                location=f"A-{i % 50:02d}", quantity=Decimal(i % 500)) for i in chunk])
        db.session.commit()
        return {"purchaser": "gaofeng", "keeper": "luojun"}


def receipt_of_50_lines(app, samples: list[float]) -> None:
    """Open, check and sign a receipt of 50 lines against a fresh order, as the keeper does."""
    from intranet import ask, db
    from intranet.org import User
    from plugins.procurement import services as procurement
    from plugins.warehouse import services
    from tests.conftest import Desk, People

    with app.test_request_context():
        users = {u.username: u.id for u in db.session.scalars(db.select(User))}
        desk = Desk(app, People(users))
        for run in range(10):
            documents = desk.documents()
            requester = db.session.get(User, users["zhangwei"])
            request = procurement.create(documents, procurement.RequestData(
                title="五十项", cost_category="materials", purpose="bench",
                lines=[procurement.LineData(item=f"件{run}-{k}", quantity=Decimal(2), unit="个",
                                            unit_price=Decimal(10)) for k in range(50)]), requester)
            request.status = "approved"
            suppliers = []
            for n in range(3):
                suppliers.append(procurement.save_supplier(db.session, None, procurement.SupplierData(
                    name=f"供应商{run}-{n}", category="it"), with_bank=False))
            db.session.flush()
            for supplier in suppliers:
                procurement.add_quotation(db.session, request, procurement.QuotationData(
                    supplier_id=supplier.id, lead_days=3, service_score=80,
                    prices={line.id: line.unit_price for line in request.lines}), users["gaofeng"])
            quotation = procurement.quotations_of(db.session, request.id)[0]
            order = procurement.choose(documents, request, quotation_id=quotation.id, reason="bench", sample_test="",
                                       actor=db.session.get(User, users["gaofeng"]), settings=documents.settings)
            db.session.commit()
            with timed(samples):
                documents = desk.documents()
                receipt = services.open_receipt(documents, ask("procurement_order", order_id=order.id).value,
                                                db.session.get(User, users["luojun"]), arrived_at=documents.now,
                                                location="A-01")
                services.record_checks(documents, receipt, [services.LineCheck(
                    delivered=Decimal(2), quantity=Decimal(2), rejected=Decimal(k % 10 == 0),
                    appearance_ok=k % 10 != 0) for k in range(50)], users["luojun"])
                services.sign(documents, receipt, users["luojun"], tz="Asia/Shanghai")
                db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    app = fresh_app(args.db, "bench_module_lists")
    people = fill(app, args.rows)
    lines = [f"module lists, {args.rows} documents each, {args.db}"]
    client = app.test_client()
    for username, prefix in ((people["purchaser"], "/procurement"), (people["keeper"], "/warehouse")):
        client.post("/auth/login", data={"login": username, "password": "demo1234"})
        for path in (p for p in PAGES if p.startswith(prefix)):
            samples: list[float] = []
            client.get(path)
            for _ in range(args.repeat):
                with timed(samples):
                    assert client.get(path).status_code == 200, path
            lines.append(f"{username} {path}: {summary(samples)}")
        client.post("/auth/logout")
    samples = []
    receipt_of_50_lines(app, samples)
    lines.append(f"goods receipt of 50 lines (open, check, sign): {summary(samples)}")
    report(f"module_lists_{args.db}", lines)


if __name__ == "__main__":
    main()
