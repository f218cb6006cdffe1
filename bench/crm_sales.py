"""Customer and order lists at 100,000 customers and 1,000,000 order lines (goal: p95 ≤ 50 ms
server time, fixed queries per page), and ABC/RFM for every customer (goal: ≤ 10 s on PostgreSQL).

    python bench/crm_sales.py sqlite [customers] [order lines]
    python bench/crm_sales.py postgresql 100000 1000000
"""
from __future__ import annotations

import random
import sys
import time
from datetime import timedelta
from decimal import Decimal

from approvals import client_for
from common import fresh_app, report, summary, timed
from sqlalchemy import insert, select

LINES_PER_ORDER = 4
BATCH = 5_000


def grow(app, customers: int, lines: int, seed: int = 13) -> tuple[dict, float]:
    """Customers spread over the sales people, orders of four lines each, in bulk."""
    from intranet import db, utcnow
    from intranet.org import User
    from intranet.org.demo import create_demo_company
    from plugins.crm.models import Customer, CustomerContact
    from plugins.sales.models import SalesOrderLine, Product, SalesOrder

    rng, start = random.Random(seed), time.perf_counter()
    with app.app_context():
        company = create_demo_company(db.session, hash_method="pbkdf2:sha256:1000")
        db.session.add(Product(id=1, code="IC-200", name="工业控制器", category="控制器", list_price=Decimal(5200)))
        db.session.commit()
        sellers = [company.users[u] for u in ("hejing", "linna")]
        people = {u: company.users[u].id for u in ("hejing", "linna", "huanglei", "wangjg")}
        now = utcnow()
        for first in range(0, customers, BATCH):
            rows = []
            for i in range(first, min(first + BATCH, customers)):
                seller = sellers[i % 2]
                rows.append({"id": i + 1, "number": f"CU-{i + 1:06d}", "status": "prospect",
                             "requester_id": seller.id, "department_id": seller.department_id,
                             "owner_id": seller.id if i % 10 else None, "name": f"客户{i}", "name_key": f"客户{i}",
                             "terms_approved": True, "discount": Decimal(5), "payment_terms": "月结30天",
                             "created_at": now - timedelta(days=rng.randint(0, 900)),
                             "last_contact_at": now - timedelta(days=rng.randint(0, 120))})
            db.session.execute(insert(Customer), rows)
            db.session.execute(insert(CustomerContact), [{"customer_id": r["id"], "position": 0, "name": "联系人",
                                                          "phone": f"139{r['id']:08d}"} for r in rows])
        orders = lines // LINES_PER_ORDER
        for first in range(0, orders, BATCH):
            rows, line_rows = [], []
            for i in range(first, min(first + BATCH, orders)):
                seller, customer = sellers[i % 2], rng.randint(1, customers)
                rows.append({"id": i + 1, "number": f"SO-2026-{i + 1:07d}", "status": "approved",
                             "requester_id": seller.id, "department_id": seller.department_id,
                             "customer_id": customer, "customer_name": f"客户{customer - 1}",
                             "total": Decimal(rng.randint(1, 500) * 100),
                             "created_at": now - timedelta(days=rng.randint(0, 400))})
                line_rows += [{"order_id": i + 1, "position": p, "product_code": "IC-200", "product": "工业控制器",
                               "quantity": Decimal(1), "unit_price": Decimal(100), "list_price": Decimal(100)}
                              for p in range(LINES_PER_ORDER)]
            db.session.execute(insert(SalesOrder), rows)
            db.session.execute(insert(SalesOrderLine), line_rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        assert db.session.scalar(select(User.id).where(User.username == "hejing"))
    return people, time.perf_counter() - start


def page_samples(app, user_id: int, urls: list[str], rounds: int = 20) -> list[float]:
    client = client_for(app, user_id)
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm, as a running server is
    samples = []
    for _ in range(rounds):
        for url in urls:
            with timed(samples):
                response = client.get(url)
            assert response.status_code == 200, url
    return samples


def segmentation_seconds(app) -> tuple[float, int]:
    from intranet import ask, db, utcnow
    from intranet.web import calendar, settings
    from plugins.crm import services

    with app.test_request_context():
        start = time.perf_counter()
        now = utcnow()
        _available, count = services.refresh_segments(
            db.session, lambda since: ask("sales_customer_orders", since=since), calendar().today(now), now,
            settings())
        db.session.commit()
        return time.perf_counter() - start, count


def main(kind: str = "sqlite", customers: str = "100000", lines: str = "1000000") -> None:
    app = fresh_app(kind, "bench_crm_sales")
    people, seconds = grow(app, int(customers), int(lines))
    out = [f"crm/sales on {kind}: {int(customers):,} customers, {int(lines):,} order lines "
           f"(generated in {seconds:.0f} s)"]
    lists = ["/crm/", "/crm/?sort=last_contact", "/crm/?pool=1", "/crm/?q=客户12", "/sales/", "/sales/?sort=total",
             "/sales/?status=approved", "/crm/quotations/", "/crm/requests/"]
    details = ["/crm/3", "/crm/13", "/sales/1", "/sales/3"]
    for name in ("hejing", "huanglei", "wangjg"):
        samples = page_samples(app, people[name], lists + (details if name != "wangjg" else []))
        out.append(f"  lists and pages as {name}: {summary(samples)}")
    seconds, count = segmentation_seconds(app)
    out.append(f"  ABC/RFM for every customer: {seconds:.1f} s ({count:,} with orders)")
    report(f"crm_sales_{kind}", out)


if __name__ == "__main__":
    main(*sys.argv[1:])
