"""Demo procurement: a registry of suppliers, requests in every state decided through the real
engine, a compared request with its order."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from . import services

SUPPLIERS = (
    ("晨光文具北京分公司", "office", "王立", "010-82345678"), ("得力办公用品有限公司", "office", "赵倩", "010-62341122"),
    ("齐心办公集团", "office", "钱进", "0755-83451234"), ("联想（北京）有限公司", "it", "孙浩", "010-58861234"),
    ("戴尔中国", "it", "周洁", "0592-8181234"), ("华为企业业务", "it", "吴敏", "0755-28780808"),
    ("京东企业购", "it", "郑凯", "400-6065500"), ("安洁保洁服务公司", "services", "冯涛", "010-64451234"),
    ("顺丰速运", "services", "陈佳", "95338"),
)

#: (requester, title, cost category, [(item, spec, qty, unit, price)], days ago, decisions)
STORIES = (
    ("zhangwei", "研发部显示器采购", "materials", [("显示器", "27英寸 4K", "3", "台", "1000")], 12,
     [("chenhao", "approve"), ("wugang", "approve")]),
    ("lina", "测试服务器", "depreciation", [("服务器", "2U 双路 64G 内存", "1", "台", "6000")], 8,
     [("chenhao", "approve"), ("wugang", "approve"), ("liuyang", "approve")]),
    ("hejing", "销售部办公用品", "administration", [("A4 打印纸", "70g 500张/包", "20", "包", "25"),
                                                   ("签字笔", "0.5mm 黑色", "5", "盒", "30")], 3, [("huanglei", "approve")]),
    ("gaofeng", "仓库货架", "materials", [("货架", "四层 重型", "4", "个", "800")], 2, []),
    ("zhouting", "培训教室投影仪", "administration", [("投影仪", "3LCD 4000流明", "1", "台", "4200")], 1, None),
)


def create(session, company) -> None:
    documents, engine = company.documents, company.documents.engine
    suppliers = [services.save_supplier(session, None, services.SupplierData(
        name=name, category=category, contact=contact, phone=phone, bank_name="中国工商银行",
        bank_account=f"0200{index:04d}09000{index:05d}"), with_bank=True)
        for index, (name, category, contact, phone) in enumerate(SUPPLIERS)]
    first = None
    for username, title, category, lines, days_ago, story in STORIES:
        company.at(company.now - timedelta(days=days_ago, hours=company.random.randint(1, 6)))
        requester = company.users[username]
        request = services.create(documents, services.RequestData(
            title=title, cost_category=category, purpose=f"{title}，部门日常工作需要。",
            lines=[services.LineData(item=i, specification=s, quantity=Decimal(q), unit=u, unit_price=Decimal(p))
                   for i, s, q, u, p in lines]), requester)
        request.created_at = documents.now
        if story is None:
            continue
        documents.submit(request, requester.id)
        for decider, _action in story:
            company.at(documents.now + timedelta(hours=company.random.randint(2, 20)))
            engine.approve(documents.latest_approval(request).id, company.users[decider].id, comment="同意")
        first = first or request
    if first is not None and first.status == "approved":
        _compare_and_order(session, company, first, [s for s in suppliers if s.category == "it"])
    session.flush()


def _compare_and_order(session, company, request, suppliers) -> None:
    purchaser = company.users["gaofeng"]
    documents = company.documents
    for offset, supplier in enumerate(suppliers[:3]):
        services.add_quotation(session, request, services.QuotationData(
            supplier_id=supplier.id, lead_days=3 + offset * 2, service_score=70 + offset * 8,
            prices={line.id: line.unit_price * (Decimal("0.95") + Decimal(offset) / 50) for line in request.lines},
            after_sales="三年上门保修"), purchaser.id)
    session.flush()
    cheapest = services.quotations_of(session, request.id)[0]
    company.at(documents.now + timedelta(hours=3))
    services.choose(documents, request, quotation_id=cheapest.id, reason="报价最低，交期满足要求", sample_test="",
                    actor=purchaser, settings=company.settings)
