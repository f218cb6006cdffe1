"""The CRM's and the sales module's pages run a fixed number of queries, whatever the data."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest

from intranet import db, utcnow
from intranet.org import User
from plugins.crm.models import ContactLog, Customer, CustomerContact, CustomerRequest, SalesQuotation, QuotationLine
from plugins.sales.models import SalesOrderLine, Product, SalesOrder
from tests.plugins.crm.test_crm import grant
from tests.test_queries import counted

NUMBERS = count(1)


def grow(app, company, n):
    """``n`` more customers of 何静, each with a contact, two contact logs, a quotation, a request
    and an order of two lines."""
    owner = company["hejing"]
    with app.app_context():
        department = db.session.get(User, owner).department_id
        if db.session.get(Product, 1) is None:
            db.session.add(Product(id=1, code="IC-200", name="工业控制器", category="控制器", list_price=Decimal(5200)))
        now = utcnow()
        for _ in range(n):
            i = next(NUMBERS)
            customer = Customer(number=f"CU-{i:06d}", status="prospect", requester_id=owner, department_id=department,
                                owner_id=owner, name=f"客户{i}", name_key=f"客户{i}", terms_approved=True,
                                discount=Decimal(5), payment_terms="月结30天", last_contact_at=now,
                                contacts=[CustomerContact(name=f"联系人{i}", phone=f"139{i:08d}")])
            db.session.add(customer)
            db.session.flush()
            db.session.add_all([ContactLog(customer_id=customer.id, channel="电话", person_id=owner, result="跟进",
                                           at=now - timedelta(days=d)) for d in (1, 2)])
            db.session.add(SalesQuotation(number=f"QT-2026-{i:06d}", status="draft", requester_id=owner,
                                     department_id=department, customer_id=customer.id, title="报价",
                                     total=Decimal(100), lines=[QuotationLine(product="工业控制器", quantity=Decimal(1),
                                                                              unit_price=Decimal(100))]))
            db.session.add(CustomerRequest(number=f"CR-2026-{i:06d}", status="open", requester_id=owner,
                                           department_id=department, customer_id=customer.id, kind="enquiry",
                                           description="咨询", responsible_department_id=department,
                                           due_at=now + timedelta(hours=24)))
            db.session.add(SalesOrder(number=f"SO-2026-{i:06d}", status="approved", requester_id=owner,
                                      department_id=department, customer_id=customer.id, customer_name=customer.name,
                                      total=Decimal(200), lines=[
                                          SalesOrderLine(position=p, product_code="IC-200", product="工业控制器",
                                                    quantity=Decimal(1), unit_price=Decimal(100),
                                                    list_price=Decimal(100)) for p in range(2)]))
        db.session.commit()


PAGES = ["/crm/", "/crm/1", "/crm/quotations/", "/crm/quotations/1", "/crm/requests/", "/crm/requests/1",
         "/crm/segments", "/widgets/crm.today", "/sales/", "/sales/1", "/widgets/sales.today", "/sales/pipeline",
         "/sales/products/"]


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_data(app, client, auth, company, url):
    grant(app, "hejing", "crm_sales_manager")  # the pipeline too
    grow(app, company, 3)
    auth.login("hejing")
    client.get(url)  # warm the per-process caches
    with counted(app) as small:
        assert client.get(url).status_code == 200, url
    grow(app, company, 40)
    with counted(app) as large:
        assert client.get(url).status_code == 200, url
    assert len(large) == len(small), (url, large[len(small):] if len(large) > len(small) else small)
    assert len(small) <= 25, (url, small)
