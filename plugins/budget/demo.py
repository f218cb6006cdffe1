"""Demo budgets: this year's, approved through the real engine, with a year of actual costs
(one overrun and a labour-cost line crossed two months running), and next year's in the works."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from . import services

#: department code -> {category: annual amount}
BUDGETS = {
    "RD": {"labour": "960000", "materials": "180000", "depreciation": "120000", "administration": "36000"},
    "MKT": {"labour": "420000", "marketing": "600000", "administration": "24000"},
    "SALES": {"labour": "540000", "marketing": "240000", "materials": "30000", "administration": "36000"},
    "ADMIN": {"labour": "300000", "materials": "60000", "depreciation": "48000", "administration": "90000"},
    "HR": {"labour": "260000", "administration": "40000"},
}
#: department code -> who files its budget
FILERS = {"RD": "zhangwei", "MKT": "yangfan", "SALES": "hejing", "ADMIN": "xiefang", "HR": "zhouting"}
JUSTIFICATIONS = {"labour": "在岗人员工资及社保，含年度调薪", "materials": "研发耗材、办公用品及备品备件",
                  "depreciation": "现有设备及新购服务器折旧", "marketing": "展会、线上推广及品牌活动",
                  "administration": "差旅、会议及办公室日常开支"}


def _approve_all(company, plan) -> None:
    documents, engine = company.documents, company.documents.engine
    approval = documents.latest_approval(plan)
    while approval is not None and approval.status == "pending":
        step = next(s for s in approval.steps if s.round == approval.round and s.status == "active")
        actor = next(t.assignee_id for t in step.tasks if t.status == "pending")
        company.at(documents.now + timedelta(hours=company.random.randint(2, 20)))
        engine.approve(approval.id, actor, comment="同意")
        approval = documents.latest_approval(plan)


def create(session, company) -> None:
    documents = company.documents
    finance = company.users["fengmin"]
    today = company.now.date()
    year = today.year
    company.at(datetime(year - 1, 11, 5, 2, tzinfo=timezone.utc))
    plans = {}
    for code, lines in BUDGETS.items():
        requester = company.users[FILERS[code]]
        plan = services.create_plan(documents, year, [
            services.LineData(category, Decimal(amount), JUSTIFICATIONS[category])
            for category, amount in lines.items()],
            requester, [c for c in JUSTIFICATIONS], title=f"{year}年度部门预算")
        services.send_to_finance(documents, plan, requester.id)
        company.at(documents.now + timedelta(days=2))
        if code == "RD":  # finance trims the materials the department asked for
            line = next(line for line in plan.lines if line.category == "materials")
            services.consolidate(documents, plan, [services.Consolidation(line.id, Decimal("150000"),
                                                                          "参照上年实际发生额调整")])
        services.forward_for_approval(documents, plan, finance.id)
        _approve_all(company, plan)
        services.publish(documents, plan, finance.id)
        plans[code] = plan
    # A year of actual costs through last month: close to the phasing, with stories.
    last = today.month - 1
    rows = []
    for code, lines in BUDGETS.items():
        department_id = company.departments[code].id
        for month in range(1, last + 1):
            for category, amount in lines.items():
                base = Decimal(amount) / 12
                factor = Decimal(company.random.randint(85, 105)) / 100
                if code == "MKT" and category == "marketing" and month == last:
                    factor = Decimal("1.6")  # the autumn trade fair: an overrun to explain
                if code == "RD" and category == "labour" and month >= last - 1:
                    factor = Decimal("1.5")  # overtime on the release: over the labour line twice
                rows.append(services.ActualData(department_id, category, year, month,
                                                (base * factor).quantize(Decimal("0.01")), "月度成本结转"))
    if rows:
        services.add_actuals(session, rows, finance.id, categories=list(JUSTIFICATIONS),
                             departments=[d.id for d in company.departments.values()], source="import")
    for month in range(1, max(last - 1, 0) + 1):
        services.close_month(session, year, month, finance.id)
    if last >= 1:
        _explain_and_adjust(company, year, last)
    # Next year's budget: research has sent theirs to finance.
    company.at(company.now - timedelta(days=3))
    requester = company.users["zhangwei"]
    draft = services.create_plan(documents, year + 1, [
        services.LineData("labour", Decimal("1020000"), JUSTIFICATIONS["labour"]),
        services.LineData("materials", Decimal("160000"), JUSTIFICATIONS["materials"])],
        requester, list(JUSTIFICATIONS), title=f"{year + 1}年度部门预算")
    services.send_to_finance(documents, draft, requester.id)
    session.flush()


def _explain_and_adjust(company, year: int, month: int) -> None:
    """Marketing explains last month's overrun (approved), and moves money from administration."""
    documents, head = company.documents, company.users["yangfan"]
    company.at(company.now - timedelta(days=2))
    variance = services.create_variance(documents, services.VarianceData(
        year, month, "marketing", "秋季行业展会提前举办，展位及搭建费用集中发生", False,
        "后续月份压缩线上投放，全年控制在预算内"), head)
    documents.submit(variance, head.id)
    _approve_all(company, variance)
    company.at(company.now - timedelta(days=1))
    adjustment = services.create_adjustment(documents, services.AdjustmentData(
        year, 12, head.department_id, "administration", head.department_id, "marketing", Decimal("3000"),
        "行政费用节余，调剂用于年末品牌活动"), head)
    documents.submit(adjustment, head.id)
