"""The budget's execution report and remaining-budget hook at scale (goals: report ≤ 300 ms and the hook
≤ 5 ms server time, with 50 departments x 10 categories x 12 months and 1,000,000 actual entries),
on SQLite or PostgreSQL.

    python bench/budget.py sqlite [1000000]
"""
from __future__ import annotations

import random
import sys
import time
from datetime import date
from decimal import Decimal

from common import drop, fresh_app, report, summary, timed

DEPARTMENTS = 50
#: The handbook's five categories and five more a company adds, to reach ten lines a department.
CATEGORIES = ("labour", "materials", "depreciation", "marketing", "administration",
              "travel", "training", "rent", "utilities", "services")
YEAR = 2027
BATCH = 50_000


def fill(app, entries: int) -> float:
    from sqlalchemy import func, insert, select

    from intranet import db
    from intranet.org.models import Department, User
    from plugins.budget.models import BudgetActual, BudgetActualTotal, BudgetLine, BudgetPlan

    start, rng = time.perf_counter(), random.Random(2027)
    with app.app_context():
        departments = [Department(name=f"部门{i:02d}", code=f"D{i:02d}") for i in range(DEPARTMENTS)]
        db.session.add_all(departments)
        db.session.flush()
        finance = User(username="finance", employee_no="F0001", name="财务", department_id=departments[0].id)
        db.session.add(finance)
        db.session.flush()
        for number, department in enumerate(departments, start=1):
            plan = BudgetPlan(number=f"BG-{YEAR}-{number:06d}", year=YEAR, title=str(YEAR), status="published",
                              requester_id=finance.id, department_id=department.id, total=Decimal(0))
            db.session.add(plan)
            db.session.flush()
            db.session.add_all(BudgetLine(plan_id=plan.id, position=i, department_id=department.id, year=YEAR,
                                          category=category, submitted_amount=Decimal(120000),
                                          amount=Decimal(120000), phasing=["10000.00"] * 12)
                               for i, category in enumerate(CATEGORIES))
        db.session.commit()
        ids = [d.id for d in departments]
        table = BudgetActual.__table__
        for offset in range(0, entries, BATCH):
            db.session.execute(insert(table), [
                {"department_id": rng.choice(ids), "category": rng.choice(CATEGORIES), "year": YEAR,
                 "month": rng.randint(1, 12), "amount": Decimal(rng.randint(100, 2000)), "description": "",
                 "source": "import", "created_by_id": finance.id} for _ in range(min(BATCH, entries - offset))])
            db.session.commit()
        # The monthly totals the module keeps with every entry, built once here for the bulk load.
        db.session.execute(insert(BudgetActualTotal).from_select(
            ["department_id", "category", "year", "month", "amount"],
            select(BudgetActual.department_id, BudgetActual.category, BudgetActual.year, BudgetActual.month,
                   func.sum(BudgetActual.amount)).group_by(BudgetActual.department_id, BudgetActual.category,
                                                           BudgetActual.year, BudgetActual.month)))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
    return time.perf_counter() - start


def main(kind: str, entries: int) -> None:
    from intranet import db
    from plugins.budget import report as reports
    from plugins.budget import services

    name = "bench_budget"
    app = fresh_app(kind, name)
    loaded = fill(app, entries)
    report_ms, hook_ms = [], []
    with app.app_context():
        departments = [d for (d,) in db.session.execute(db.text("SELECT id FROM core_department"))]
        for month in (3, 6, 12) * 7:
            with timed(report_ms):
                found = reports.execution_report(db.session, YEAR, month)
        assert len(found.lines) == DEPARTMENTS * len(CATEGORIES)
        rng = random.Random(5)
        for _ in range(200):
            with timed(hook_ms):
                services.remaining(db.session, rng.choice(departments), rng.choice(CATEGORIES),
                                   date(YEAR, 6, 1), "warn")
    report(f"budget-{kind}", [
        f"budget on {kind}: {entries:,} actual entries, {DEPARTMENTS} departments x {len(CATEGORIES)} categories "
        f"(loaded in {loaded:.0f} s)",
        f"execution report (goal ≤ 300 ms): {summary(report_ms)}",
        f"remaining-budget hook (goal ≤ 5 ms): {summary(hook_ms)}"])
    drop(kind, name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite", int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
