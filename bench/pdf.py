"""PDF speed: a one-page form with 20 line items and a 5-step trail (goal ≤ 25 ms median once
the font is registered), signing on top (goal ≤ 40 ms), and a 200-document batch through the
real print route (goal < 10 s)."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from decimal import Decimal

from common import drop, fresh_app, report, summary, timed


def one_page_job():
    from intranet.pdf.content import LineTable, PrintableDocument, PrintJob, TrailRow

    document = PrintableDocument(
        title="Purchase request", title_zh="采购申请单", number="PR-2026-000123",
        fields=[("申请部门 Department", "研发部"), ("申请人 Requester", "张伟 (E0302)"), ("金额 Amount", "¥21,000.00"),
                ("日期 Date", "2026-11-23"), ("用途 Purpose", "测试环境扩容"), ("供应商 Supplier", "示例供应商")],
        tables=[LineTable("明细 Items", ("品名 Item", "规格 Specification", "数量 Qty", "单价 Unit price",
                                         "金额 Amount"),
                          [(f"服务器内存 {i}", "DDR5 32GB", "1", "¥1,050.00", "¥1,050.00") for i in range(20)],
                          widths=(3, 3, 1, 1.5, 1.5), numeric=(2, 3, 4))])
    trail = [TrailRow(f"第{i}步 Step {i}", "陈浩", "", "同意 Approved", f"2026-11-23 10:0{i}", "同意", "a1b2c3d4e5f60718")
             for i in range(1, 6)]
    return PrintJob(document, trail, "7K4M-9Q2X-3B", "https://intranet.example.com/verify/7K4M9Q2X3B")


def form_speed(font: str) -> list[str]:
    from intranet.pdf.builder import render
    from intranet.pdf.content import Letterhead
    from intranet.pdf.signing import CompanySeal, create_certificate

    head = Letterhead("示例科技有限公司 Example Technology Co., Ltd.", "张伟 (E0302)", "2026-11-23 10:30", font)
    job = one_page_job()
    render([job], head)  # registers the font once, as a server process does
    rendering, signing = [], []
    with tempfile.TemporaryDirectory() as folder:
        create_certificate(f"{folder}/c.p12", common_name="示例科技", organisation="Example", passphrase="pw")
        seal = CompanySeal(pkcs12=f"{folder}/c.p12", passphrase="pw")
        seal.sign(render([job], head), reason="warm up")
        for _ in range(30):
            with timed(rendering):
                pdf = render([job], head)
            with timed(signing):
                seal.sign(pdf, reason="bench")
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    return [f"One-page form ({pages} page), 20 line items, 5-step trail:",
            f"  render: {summary(rendering)} (goal median ≤ 25 ms: "
            f"{'met' if statistics.median(rendering) <= 25 else 'NOT met'})",
            f"  signing adds: {summary(signing)} (goal ≤ 40 ms: "
            f"{'met' if statistics.median(signing) <= 40 else 'NOT met'})"]


def batch_speed(kind: str) -> list[str]:
    from intranet import db
    from intranet.org.demo import create_demo_company
    from plugins.general import services

    name = "bench_pdf"
    app = fresh_app(kind, name)
    with app.app_context():
        company = create_demo_company(db.session, hash_method="pbkdf2:sha256:1000")
        requester = company.users["zhangwei"]
        ids = [services.create(db.session, services.RequestData(title=f"批量打印 {i}", category="办公用品",
                                                                 amount=Decimal(100 + i)), requester,
                               ("办公用品",)).id for i in range(200)]
        db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"login": "zhangwei", "password": "demo1234"})
    client.get(f"/print/general.request/{ids[0]}")
    start = time.perf_counter()
    response = client.get("/print/general.request", query_string={"ids": ids})
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    drop(kind, name)
    return [f"200-document batch through /print/general.request ({kind}): {seconds:.2f} s, "
            f"{len(response.data) / 1024:.0f} KB (goal < 10 s: {'met' if seconds < 10 else 'NOT met'})"]


def main(kind: str = "sqlite") -> None:
    report(f"pdf-{kind}", form_speed("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc") + batch_speed(kind))


if __name__ == "__main__":
    main(*sys.argv[1:])
