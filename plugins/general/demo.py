"""Demo general requests in every state, decided through the real engine."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from . import services

#: (requester, title, category, amount, days ago, what happens: [(decider, action, reason)])
STORIES = (
    ("zhangwei", "研发部测试服务器采购", "办公用品", "6000", 3, [("chenhao", "approve", "同意，请走采购流程")]),
    ("lina", "购买测试手机两部", "办公用品", "3200", 1, []),
    ("hejing", "客户招待费用报销", "招待", "1800", 6, [("huanglei", "approve", "")]),
    ("gaofeng", "办公室打印机维修", "维修", "650", 4, [("machao", "return", "请补充维修报价单")]),
    ("zhouting", "新员工入职培训场地租用", "培训", "8000", 9,
     [("sunli", "approve", ""), ("zhaomin", "approve", "同意")]),
    ("fengmin", "财务软件年费续费", "其他", "12000", 5, [("wugang", "reject", "已含在年度预算中，请走采购流程")]),
    ("tangjie", "机房空调维修", "维修", "4500", 2, []),
    ("zhangwei", "团队建设活动", "其他", "2000", 0, None),
)


def create(session, company) -> None:
    documents, engine = company.documents, company.documents.engine
    categories = company.settings["general.categories"]
    for username, title, category, amount, days_ago, story in STORIES:
        company.at(company.now - timedelta(days=days_ago, hours=company.random.randint(1, 6)))
        requester = company.users[username]
        document = services.create(documents, services.RequestData(
            title=title, category=category, amount=Decimal(amount),
            description=f"{title}。详细说明见附件或与申请人联系。"), requester, categories)
        document.created_at = documents.now
        if story is None:
            continue
        documents.submit(document, requester.id)
        for decider, action, reason in story:
            company.at(documents.now + timedelta(hours=company.random.randint(2, 20)))
            approval = documents.latest_approval(document)
            actor = company.users[decider].id
            if action == "approve":
                engine.approve(approval.id, actor, comment=reason)
            else:
                getattr(engine, {"reject": "reject", "return": "return_"}[action])(approval.id, actor, reason=reason)
    session.flush()
