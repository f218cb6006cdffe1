"""验收入库: receipts against approved orders only, partial receipts, a failed line that does not
block the others, over-receipt only as an exception, discrepancies that keep the order pending
until resolved, stock in the receipt's transaction, installation, the hooks, bad input."""
from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intranet import Conflict, Invalid, ask, db
from intranet.notify import Notification
from intranet.org import User
from plugins.procurement import services as procurement
from plugins.procurement.models import PurchaseOrder
from plugins.warehouse import services
from plugins.warehouse.models import Discrepancy, GoodsReceipt, StockItem, StockMovement
from tests.conftest import Desk

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def issued_order(app, company, lines=(("显示器", "27英寸 4K", "3", "台", "1000"), ("键盘", "机械", "5", "个", "200"))):
    """An approved request, three quotations and the order issued from the cheapest."""
    with app.app_context():
        documents = Desk(app, company).documents()
        requester = db.session.get(User, company["zhangwei"])
        request = procurement.create(documents, procurement.RequestData(
            title="研发部设备", cost_category="materials", purpose="新员工",
            lines=[procurement.LineData(item=i, specification=s, quantity=Decimal(q), unit=u, unit_price=Decimal(p))
                   for i, s, q, u, p in lines]), requester)
        request.status = "approved"
        db.session.flush()
        for n in range(3):
            supplier = procurement.save_supplier(db.session, None, procurement.SupplierData(
                name=f"供应商{n}{request.id}", category="it"), with_bank=False)
            procurement.add_quotation(db.session, request, procurement.QuotationData(
                supplier_id=supplier.id, lead_days=3, service_score=80,
                prices={line.id: line.unit_price + n for line in request.lines}), company["gaofeng"])
        quotation = procurement.quotations_of(db.session, request.id)[0]
        order = procurement.choose(documents, request, quotation_id=quotation.id, reason="最便宜", sample_test="",
                                   actor=db.session.get(User, company["gaofeng"]), settings=documents.settings)
        db.session.commit()
        return order.id


def open_receipt(app, company, order_id):
    with app.app_context():
        documents = Desk(app, company).documents()
        receipt = services.open_receipt(documents, ask("procurement_order", order_id=order_id).value,
                                        db.session.get(User, company["luojun"]), arrived_at=documents.now,
                                        location="B-01")
        db.session.commit()
        return receipt.id


def check_and_sign(app, company, receipt_id, checks, *, sign=True):
    with app.app_context():
        documents = Desk(app, company).documents()
        receipt = db.session.get(GoodsReceipt, receipt_id)
        services.record_checks(documents, receipt, checks, company["luojun"])
        if sign:
            services.sign(documents, receipt, company["luojun"], tz="Asia/Shanghai")
        db.session.commit()


def order_status(app, order_id) -> str:
    with app.app_context():
        return db.session.get(PurchaseOrder, order_id).status


def stock_of(app, item: str) -> Decimal | None:
    with app.app_context():
        return db.session.scalar(select(StockItem.quantity).where(StockItem.name == item))


def test_a_partial_receipt_with_a_damaged_line_books_the_good_goods_and_opens_a_discrepancy(app, company):
    order_id = issued_order(app, company)
    receipt_id = open_receipt(app, company, order_id)
    check_and_sign(app, company, receipt_id, [
        services.LineCheck(delivered=Decimal(2), quantity=Decimal(2), rejected=Decimal(1), appearance_ok=False,
                           needs_installation=True),
        services.LineCheck(delivered=Decimal(5), quantity=Decimal(5))])
    assert stock_of(app, "显示器") == Decimal(1)  # the failed unit does not enter stock
    assert stock_of(app, "键盘") == Decimal(5)  # and does not block the other line
    assert order_status(app, order_id) == "pending"
    with app.app_context():
        record = db.session.scalar(select(Discrepancy))
        assert (record.kind, record.quantity, record.status) == ("damaged", Decimal(1), "open")
        assert record.number.startswith("DR-")
        told = db.session.scalars(select(Notification.user_id).where(Notification.module == "warehouse")).all()
        assert company["gaofeng"] in told  # the purchaser
        assert company["tangjie"] in told  # IT, for the monitor to install
        assert db.session.scalar(select(StockItem.pending_installation).where(StockItem.name == "显示器"))
        receipt = db.session.get(GoodsReceipt, receipt_id)
        assert receipt.status == "received" and len(receipt.signature) == 64 and receipt.signed_by_id
        moves = db.session.scalars(select(StockMovement).where(StockMovement.receipt_id == receipt_id)).all()
        assert sorted(m.quantity for m in moves) == [Decimal(1), Decimal(5)]
        order = db.session.get(PurchaseOrder, order_id)
        assert [line.received for line in order.lines] == [Decimal(1), Decimal(5)]
        documents = Desk(app, company).documents()
        with pytest.raises(Invalid):
            services.resolve(documents, record, resolution="refund", note="x", actor_id=company["gaofeng"],
                             allowed=True)
        services.resolve(documents, record, resolution="replacement", note="供应商补发一台",
                         actor_id=company["gaofeng"], allowed=True)
        db.session.commit()
        with pytest.raises(Conflict):
            services.resolve(documents, record, resolution="credit", note="again", actor_id=company["gaofeng"],
                             allowed=True)
    assert order_status(app, order_id) == "partly_received"  # the replacement is still to come
    second = open_receipt(app, company, order_id)
    with app.app_context():
        assert [line.open_quantity for line in db.session.get(GoodsReceipt, second).lines] == [Decimal(2)]
    check_and_sign(app, company, second, [services.LineCheck(delivered=Decimal(2), quantity=Decimal(2))])
    assert order_status(app, order_id) == "received"
    assert stock_of(app, "显示器") == Decimal(3)


def test_over_receipt_is_refused_unless_recorded_as_an_exception(app, company):
    order_id = issued_order(app, company, lines=(("打印纸", "A4", "10", "包", "25"),))
    receipt_id = open_receipt(app, company, order_id)
    with pytest.raises(Invalid) as refused:
        check_and_sign(app, company, receipt_id, [services.LineCheck(delivered=Decimal(12), quantity=Decimal(12))])
    assert refused.value.field == "lines-0-quantity"
    assert stock_of(app, "打印纸") is None
    check_and_sign(app, company, receipt_id, [services.LineCheck(delivered=Decimal(12), quantity=Decimal(12),
                                                                 exception_reason="供应商多送两包，已同意留用")])
    assert stock_of(app, "打印纸") == Decimal(12)
    assert order_status(app, order_id) == "received"


def test_short_and_wrong_model_are_discrepancies_and_the_order_waits_for_each(app, company):
    order_id = issued_order(app, company)
    receipt_id = open_receipt(app, company, order_id)
    check_and_sign(app, company, receipt_id, [
        services.LineCheck(delivered=Decimal(3), quantity=Decimal(2)),
        services.LineCheck(delivered=Decimal(5), quantity=Decimal(5), specification_ok=False)])
    with app.app_context():
        records = db.session.scalars(select(Discrepancy).order_by(Discrepancy.id)).all()
        assert [(r.kind, r.quantity) for r in records] == [("short", Decimal(1)), ("wrong_model", Decimal(5))]
        documents = Desk(app, company).documents()
        services.resolve(documents, records[0], resolution="credit", note="退款一台", actor_id=company["gaofeng"],
                         allowed=True)
        db.session.commit()
    assert order_status(app, order_id) == "pending"  # one still open
    assert stock_of(app, "键盘") is None  # the wrong model never entered stock
    with app.app_context():
        deliveries = ask("warehouse_supplier_deliveries", supplier_id=db.session.get(PurchaseOrder, order_id)
                         .supplier_id, year=Desk(app, company).now.year).value
        assert deliveries["receipts"] == 1 and deliveries["discrepancies"] == 2
        assert deliveries["received_qty"] == Decimal(7) and deliveries["rejected_qty"] == Decimal(5)


def test_only_an_issued_order_is_received_and_a_second_signature_is_refused(app, company):
    order_id = issued_order(app, company)
    with app.app_context():
        documents = Desk(app, company).documents()
        keeper = db.session.get(User, company["luojun"])
        with pytest.raises(Invalid):
            services.open_receipt(documents, None, keeper, arrived_at=documents.now, location="")
        order = ask("procurement_order", order_id=order_id).value
        with pytest.raises(Invalid):
            services.open_receipt(documents, {**order, "status": "closed"}, keeper, arrived_at=documents.now,
                                  location="")
    receipt_id = open_receipt(app, company, order_id)
    check_and_sign(app, company, receipt_id, [services.LineCheck(delivered=Decimal(1), quantity=Decimal(1)),
                                              services.LineCheck(delivered=Decimal(0), quantity=Decimal(0))])
    with app.app_context(), pytest.raises(Conflict):
        services.sign(Desk(app, company).documents(), db.session.get(GoodsReceipt, receipt_id), company["luojun"],
                      tz="Asia/Shanghai")


@pytest.mark.parametrize("check, field", [
    (services.LineCheck(delivered=Decimal(-1), quantity=Decimal(1)), "lines-0-delivered"),
    (services.LineCheck(delivered=Decimal(1), quantity=Decimal("1e9")), "lines-0-quantity"),
    (services.LineCheck(delivered=Decimal(1), quantity=Decimal(1), rejected=Decimal(2), appearance_ok=False),
     "lines-0-rejected"),
    (services.LineCheck(delivered=Decimal(1), quantity=Decimal(1), rejected=Decimal(1)), "lines-0-appearance_ok"),
])
def test_bad_quantities_are_refused_beside_the_field(app, company, check, field):
    order_id = issued_order(app, company, lines=(("打印纸", "A4", "10", "包", "25"),))
    receipt_id = open_receipt(app, company, order_id)
    with pytest.raises(Invalid) as refused:
        check_and_sign(app, company, receipt_id, [check])
    assert refused.value.field == field


def test_stock_and_availability_hooks(app, company):
    order_id = issued_order(app, company)
    receipt_id = open_receipt(app, company, order_id)
    check_and_sign(app, company, receipt_id, [services.LineCheck(delivered=Decimal(1), quantity=Decimal(1)),
                                              services.LineCheck(delivered=Decimal(0), quantity=Decimal(0))])
    with app.app_context():
        code = db.session.scalar(select(StockItem.code).where(StockItem.name == "显示器"))
        assert ask("warehouse_stock", item_code=code).value == Decimal(1)
        assert ask("warehouse_stock", item_code="显示器").value == Decimal(1)
        assert ask("warehouse_stock", item_code="不存在").value is None
        assert ask("warehouse_availability", item_code=code).value == {
            "on_hand": Decimal(1), "reserved": Decimal(0), "incoming": Decimal(2)}


def test_late_receipts_remind_the_keeper_then_the_head(app, company):
    order_id = issued_order(app, company)
    open_receipt(app, company, order_id)
    from plugins.warehouse import reminders

    with app.app_context():
        from intranet.notify import ScanContext
        from intranet.web import settings as current_settings

        state = app.extensions["intranet"]
        engine = Desk(app, company).engine()
        with app.test_request_context():
            cfg = current_settings()

            def scan(now):
                ctx = ScanContext(session=db.session, now=now, settings=cfg, calendar=engine.calendar,
                                  url_for=lambda *a, **k: "/x")
                return {(r.key.split(":")[0], r.user_id) for r in reminders.late_receipts(ctx)}

            arrived = db.session.scalar(select(GoodsReceipt.arrived_at))
            assert scan(arrived + timedelta(minutes=5)) == set()
            late = scan(engine.calendar.add_working_hours(arrived, 4) + timedelta(minutes=1))
            assert late == {("warehouse.late", company["luojun"])}
            later = scan(engine.calendar.add_working_hours(arrived, 7))
            assert ("warehouse.late", company["luojun"]) in later and len(later) == 2
        assert state is not None


def test_pages_photos_and_bad_input(app, client, auth, company):
    order_id = issued_order(app, company)
    auth.login("hejing")
    assert client.get("/warehouse/new").status_code == 403
    auth.login("luojun")
    assert client.post("/warehouse/new", data={"order_id": "999999"}).status_code == 422
    response = client.post("/warehouse/new", data={"order_id": str(order_id)})
    assert response.status_code == 302
    receipt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        line_ids = [line.id for line in db.session.get(GoodsReceipt, receipt_id).lines]
    not_image = client.post(f"/warehouse/{receipt_id}/photo", data={
        "line_id": str(line_ids[0]), "photo": (io.BytesIO(b"%PDF-1.4 not an image"), "photo.png")},
        content_type="multipart/form-data")
    assert not_image.status_code == 422
    ok = client.post(f"/warehouse/{receipt_id}/photo", data={
        "line_id": str(line_ids[0]), "photo": (io.BytesIO(PNG), "cracked.png")}, content_type="multipart/form-data")
    assert ok.status_code == 302, ok.get_data(as_text=True)[-2000:]
    bad = client.post(f"/warehouse/{receipt_id}/check", data={
        "lines-0-delivered": "3", "lines-0-quantity": "abc", "lines-1-delivered": "5", "lines-1-quantity": "-5",
        "sign": "1"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert page.count('class="error"') >= 2
    assert stock_of(app, "键盘") is None
    signed = client.post(f"/warehouse/{receipt_id}/check", data={
        "lines-0-delivered": "3", "lines-0-quantity": "3", "lines-0-rejected": "1", "lines-0-specification_ok": "1",
        "lines-1-delivered": "5", "lines-1-quantity": "5", "lines-1-appearance_ok": "1",
        "lines-1-specification_ok": "1", "sign": "1"})
    assert signed.status_code == 302, signed.get_data(as_text=True)[-3000:]
    again = client.post(f"/warehouse/{receipt_id}/check", data={
        "lines-0-delivered": "3", "lines-0-quantity": "3", "lines-1-delivered": "5", "lines-1-quantity": "5",
        "sign": "1"})
    assert again.status_code == 409
    assert stock_of(app, "显示器") == Decimal(2) and stock_of(app, "键盘") == Decimal(5)
    with app.app_context():
        record = db.session.scalar(select(Discrepancy))
        assert len(record.attachments) == 1  # the line's photo went with it
        item_id = db.session.scalar(select(StockItem.id).where(StockItem.name == "显示器"))
    for url in ("/warehouse/", f"/warehouse/{receipt_id}", "/warehouse/discrepancies/",
                f"/warehouse/discrepancies/{record.id}", "/warehouse/stock/", f"/warehouse/stock/{item_id}",
                "/warehouse/export.csv", "/warehouse/stock/export.xlsx", "/"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/print/warehouse.receipt/{receipt_id}").status_code in (200, 503)
    auth.login("gaofeng")
    empty = client.post(f"/warehouse/discrepancies/{record.id}/resolve", data={"resolution": "return", "note": ""})
    assert empty.status_code == 422
    done = client.post(f"/warehouse/discrepancies/{record.id}/resolve",
                       data={"resolution": "return", "note": "退回供应商"})
    assert done.status_code == 302
    assert order_status(app, order_id) == "partly_received"
    auth.login("hejing")
    assert client.get(f"/warehouse/{receipt_id}").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GoodsReceipt)) == 1


def test_list_and_detail_pages_read_a_fixed_number_of_statements(app, client, auth, company):
    from tests.test_queries import counted

    def pages(receipt_id, record_id, item_id):
        auth.login("luojun")
        sizes = {}
        for path in ("/warehouse/", "/warehouse/discrepancies/", "/warehouse/stock/", f"/warehouse/{receipt_id}",
                     f"/warehouse/discrepancies/{record_id}", f"/warehouse/stock/{item_id}"):
            with counted(app) as statements:
                assert client.get(path).status_code == 200, path
            sizes[path] = len(statements)
        return sizes

    def receive(lines):
        order_id = issued_order(app, company, lines=lines)
        receipt_id = open_receipt(app, company, order_id)
        check_and_sign(app, company, receipt_id, [
            services.LineCheck(delivered=Decimal(3), quantity=Decimal(3), rejected=Decimal(1), appearance_ok=False)
            for _ in lines])
        return receipt_id

    first = receive((("显示器", "27英寸", "3", "台", "1000"),))
    with app.app_context():
        record_id = db.session.scalar(select(Discrepancy.id))
        item_id = db.session.scalar(select(StockItem.id))
    before = pages(first, record_id, item_id)
    for n in range(3):
        lines = tuple((f"物品{n}{k}", "规格", "3", "个", "10") for k in range(2))
        receive(lines + (("显示器", "27英寸", "3", "台", "1000"),))
    assert pages(first, record_id, item_id) == before
