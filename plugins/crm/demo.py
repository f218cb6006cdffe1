"""Demo customers with contacts, approved terms, contact logs, quotations and requests."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from intranet.org import Role

from . import services
from .documents import MARKET_MANAGER, SALES_MANAGER
from .models import CustomerTerms

#: (owner, name, industry, tax number, phone, tags, contact, contact phone, discount, terms, days since contact)
CUSTOMERS = (
    ("hejing", "华东精密机械有限公司", "制造业", "91310000MA1FL0001X", "021-55550001", ("vip",), "王强", "13900000001",
     "8", "月结30天", 3),
    ("hejing", "杭州云帆网络科技有限公司", "互联网", "91330100MA2B00002Y", "0571-8880002", ("frequent",), "李敏",
     "13900000002", "5", "款到发货", 12),
    ("hejing", "苏州恒信电子有限公司", "制造业", "91320500MA1M00003Z", "0512-6660003", (), "赵磊", "13900000003",
     "3", "月结60天", 40),
    ("hejing", "南京博学教育集团", "教育", "91320100MA1X00004A", "025-5550004", ("potential",), "陈静",
     "13900000004", "0", "预付30%", 86),
    ("linna", "广州安康医疗器械有限公司", "医疗", "91440100MA5C00005B", "020-3330005", ("vip",), "刘洋",
     "13900000005", "10", "月结30天", 6),
    ("linna", "深圳市星辰零售连锁有限公司", "零售", "91440300MA5D00006C", "0755-2220006", (), "周芳", "13900000006",
     "4", "货到付款", 20),
    ("linna", "成都天府政务服务中心", "政府", "12510100MB0E00007D", "028-8880007", (), "孙伟", "13900000007",
     "2", "月结60天", 95),
    ("hejing", "武汉长江物流有限公司", "其他", "91420100MA4F00008E", "027-6660008", ("potential",), "吴婷",
     "13900000008", "0", "款到发货", 1),
)


def _grant(session, company, username: str, role_key: str) -> None:
    role = session.scalar(select(Role).where(Role.key == role_key))
    user = company.users[username]
    if role is not None and role not in user.roles:
        user.roles.append(role)


def create(session, company) -> None:
    _grant(session, company, "yangfan", MARKET_MANAGER)   # 市场经理 approves customer terms
    _grant(session, company, "huanglei", SALES_MANAGER)   # 销售经理: sales management
    session.flush()
    documents, engine = company.documents, company.documents.engine
    now = company.now
    made = []
    for index, (owner, name, industry, tax, phone, tags, contact, mobile, discount, terms, quiet) in \
            enumerate(CUSTOMERS):
        company.at(now - timedelta(days=quiet + 30 + index))
        data = services.CustomerData(name=name, industry=industry, tax_number=tax, phone=phone,
                                     address="", channels="展会", products="工业控制器",
                                     relationship_since=(now - timedelta(days=400 + 30 * index)).date(), tags=tags,
                                     contacts=[services.ContactData(name=contact, role="采购经理", phone=mobile,
                                                                    email=f"contact{index}@example.com")])
        customer = services.create_customer(documents, data, company.users[owner], discount=Decimal(discount),
                                            payment_terms=terms)
        customer.created_at = documents.now
        if index < 7:  # the last one is still waiting for approval
            approval = documents.engine.latest_request("crm.terms", customer_terms_id(session, customer))
            company.at(documents.now + timedelta(hours=3))
            engine.approve(approval.id, company.users["yangfan"].id, comment="同意")
            company.at(documents.now + timedelta(hours=2))
            engine.approve(approval.id, company.users["zhenghua"].id, comment="")
        for step in range(3):
            at = now - timedelta(days=quiet + 10 * step)
            services.log_contact(session, customer, channel=("电话", "拜访", "微信")[step],
                                 person_id=company.users[owner].id,
                                 result=("确认下季度采购计划", "拜访客户技术负责人，介绍新产品", "发送产品资料")[step], at=at)
        made.append(customer)
    company.at(now - timedelta(days=2))
    quotation = services.save_quotation(
        documents, None, customer=made[0], title="工业控制器年度报价", valid_until=(now + timedelta(days=28)).date(),
        remarks="含安装调试", requester=company.users["hejing"],
        lines=[services.QuotationLineData("工业控制器 IC-200", Decimal(20), Decimal("4800"), "标准版", "台"),
               services.QuotationLineData("传感器模块 SM-10", Decimal(100), Decimal("320"), "", "个")])
    services.send_quotation(documents, quotation, company.users["hejing"].id)
    services.save_quotation(
        documents, None, customer=made[3], title="在线教学平台服务报价", valid_until=(now + timedelta(days=14)).date(),
        remarks="", requester=company.users["hejing"],
        lines=[services.QuotationLineData("平台年度服务", Decimal(1), Decimal("58000"), "500 用户", "套")])
    company.at(now - timedelta(hours=60))
    services.register_request(documents, customer=made[1], kind="complaint", description="上批货物包装破损，要求退换",
                              responsible_department_id=company.departments["SALES"].id,
                              requester=company.users["hejing"], kinds=("enquiry", "complaint", "cooperation"))
    company.at(now - timedelta(hours=5))
    services.register_request(documents, customer=made[4], kind="enquiry", description="咨询新款监护仪的交货周期",
                              responsible_department_id=company.departments["SALES"].id,
                              requester=company.users["linna"], kinds=("enquiry", "complaint", "cooperation"))
    company.at(now)
    session.flush()


def customer_terms_id(session, customer) -> int:
    return session.scalar(select(CustomerTerms.id).where(CustomerTerms.customer_id == customer.id))
