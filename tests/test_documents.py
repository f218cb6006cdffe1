"""The module kit's documents, through tests/example_module: numbers, statuses, the one
submit that wins, files per document and per line, comments, the timeline, events."""
from __future__ import annotations

import io
import threading
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import func, select

from intranet import Conflict, Forbidden, Invalid, db
from intranet.approvals import ApprovalRequest
from intranet.db import write_intent
from intranet.documents import (APPROVAL_STATUSES, Attachment, Comment, NumberSeries, Status, StatusSet, Upload,
                                add_comment, attach, line_attachments, timeline)
from intranet.files import FileRules
from intranet.numbering import issue_number, render_number
from tests.conftest import file_order, in_parallel
from tests.example_module.documents import EXAMPLE_ORDER
from tests.example_module.models import ExampleOrder

RULES = FileRules(max_bytes=200_000, extensions=("pdf", "png", "jpg"))


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return buffer.getvalue()


# -- numbers ---------------------------------------------------------------------------------
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_number_is_rendered_in_the_company_time_zone():
    late_evening_utc = datetime(2026, 11, 30, 16, 20, tzinfo=timezone.utc)  # 1 December in Shanghai
    assert render_number("T{yyyymmdd}-{seq:03}", prefix="T", at=late_evening_utc, tz=SHANGHAI, seq=7) == \
        "T20261201-007"
    assert render_number("{prefix}-{yyyy}-{seq:06}", prefix="PR", at=late_evening_utc, tz=SHANGHAI, seq=12) == \
        "PR-2026-000012"
    assert render_number("{category}-{yyyymmdd}-{name}-V{version}", prefix="", at=late_evening_utc, tz=SHANGHAI,
                         seq=None, values={"category": "ZD-HR", "name": "员工考勤制度", "version": 1}) == \
        "ZD-HR-20261201-员工考勤制度-V1"


def test_the_running_number_counts_per_period(app):
    with app.app_context():
        day = datetime(2026, 12, 1, 2, tzinfo=timezone.utc)
        numbers = [issue_number(db.session, "t.task", "T{yyyymmdd}-{seq:03}", prefix="T", at=day, tz=SHANGHAI)
                   for _ in range(2)]
        next_day = issue_number(db.session, "t.task", "T{yyyymmdd}-{seq:03}", prefix="T",
                                at=day.replace(day=2), tz=SHANGHAI)
    assert numbers == ["T20261201-001", "T20261201-002"] and next_day == "T20261202-001"


@pytest.mark.parametrize("text, message", [
    ("{prefix}-{yyyy}", "needs the running number"), ("{prefix}-{owner}-{seq}", "Unknown part {owner}"),
    ("{prefix-{seq}", "Braces must come in pairs"), ("{seq:x}", "Write the running number as"), ("", "at most 100")])
def test_a_wrong_number_format_is_refused(text, message):
    with pytest.raises(Invalid, match=message):
        NumberSeries(prefix="PR").check(text)
    assert NumberSeries(prefix="A", format="{name}-V{version}", values=("name", "version"), running=False) \
        .check("{name}-V{version}")


def test_administrators_change_the_number_format_in_settings(app, client, auth, company):
    auth.login("hanmei")
    bad = client.post("/admin/settings", data={"example.order.number_format": "{prefix}-{oops}-{seq}"})
    assert bad.status_code == 422 and "Unknown part {oops}" in bad.get_data(as_text=True)
    assert client.post("/admin/settings", data={"example.order.number_format": "EO{yy}{mm}-{seq:04}"}).status_code \
        == 302
    auth.login("zhangwei")
    order_id = file_order(client, "新格式", 10, submit=False)
    with app.app_context():
        number = db.session.get(ExampleOrder, order_id).number
    assert number.startswith("EO") and number.endswith("-0001") and len(number) == len("EO2612-0001")


# -- statuses ----------------------------------------------------------------------------------
def test_statuses_declare_their_moves_and_refuse_others():
    statuses = APPROVAL_STATUSES.extend([Status("closed", "Closed", "muted")], {"approved": ("closed",)})
    assert statuses.can_move("approved", "closed") and not statuses.can_move("draft", "closed")
    with pytest.raises(Conflict, match="cannot become"):
        statuses.check_move("draft", "approved")
    assert statuses.editable_keys() == ("draft", "rejected", "returned", "withdrawn")
    with pytest.raises(ValueError, match="undeclared"):
        StatusSet([Status("a", "A")], {"a": ("b",)}, initial="a")
    with pytest.raises(ValueError, match="tone"):
        Status("x", "X", "purple")


def test_the_engine_moves_the_document_and_a_module_moves_it_further(desk):
    order, approval = desk.submit("zhangwei", 800)
    assert order.status == "pending" and order.submitted_at is not None
    desk.act("approve", approval, "chenhao")
    order = db.session.get(ExampleOrder, order.id)
    assert order.status == "approved" and order.decided_at is not None
    with pytest.raises(Conflict, match="cannot become"):
        desk.documents().move(order, "draft", actor_id=desk.company["zhangwei"])


def test_only_the_requester_changes_and_only_while_editable(desk):
    order = desk.draft("zhangwei", 100)
    with pytest.raises(Forbidden):
        desk.change(order, "lina", title="别人改")
    desk.change(order, "zhangwei", title="自己改")
    desk.send(order, "zhangwei")
    with pytest.raises(Conflict, match="read-only"):
        desk.change(db.session.get(ExampleOrder, order.id), "zhangwei", title="审批中改")


# -- one submit wins -----------------------------------------------------------------------------
def test_two_submits_of_one_draft_at_once_start_one_approval(app, desk):
    """A double click: both requests read the draft, one sends it, the other gets 409."""
    order_id = desk.draft("zhangwei", 800).id
    db.session.commit()
    barrier, outcomes = threading.Barrier(2, timeout=30), []

    def submit(_n):
        write_intent.set(True)  # a POST, as in the web app
        barrier.wait()
        with app.app_context():
            order = db.session.get(ExampleOrder, order_id)
            try:
                desk.documents().submit(order, desk.company["zhangwei"])
                db.session.commit()
                outcomes.append("sent")
            except Conflict as conflict:
                db.session.rollback()
                outcomes.append(conflict.status)

    in_parallel(submit, range(2))
    assert sorted(outcomes, key=str) == [409, "sent"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ApprovalRequest).where(
        ApprovalRequest.type_key == "example.order", ApprovalRequest.document_id == str(order_id))) == 1


def test_a_second_click_on_submit_answers_409_and_writes_nothing(app, client, auth, company):
    auth.login("zhangwei")
    order_id = file_order(client, "点两次", 300, submit=False)
    assert client.post(f"/documents/example.order/{order_id}/submit").status_code == 302
    again = client.post(f"/documents/example.order/{order_id}/submit")
    assert again.status_code == 409 and "cannot be submitted now" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApprovalRequest)) == 1


def test_withdraw_through_the_kit_moves_the_document(app, client, auth, company):
    auth.login("zhangwei")
    order_id = file_order(client, "撤回", 300)
    assert client.post(f"/documents/example.order/{order_id}/withdraw").status_code == 302
    assert client.post(f"/documents/example.order/{order_id}/withdraw").status_code == 409
    with app.app_context():
        assert db.session.get(ExampleOrder, order_id).status == "withdrawn"
    auth.login("lina")
    assert client.post(f"/documents/example.order/{order_id}/submit").status_code == 403  # not hers to see


# -- files and comments ----------------------------------------------------------------------------
def test_files_per_document_and_per_line_with_images_checked(desk):
    order = desk.draft("zhangwei", 100)
    line = order.lines[0]
    attach(db.session, EXAMPLE_ORDER, order, Upload("报价.pdf", b"%PDF quote"), rules=RULES, user_id=order.requester_id)
    attach(db.session, EXAMPLE_ORDER, order, Upload("照片.png", png()), rules=RULES, user_id=order.requester_id,
           line_id=line.id, slot="photo", images_only=True)
    with pytest.raises(Invalid, match="not a PNG or JPEG"):
        attach(db.session, EXAMPLE_ORDER, order, Upload("假照片.png", b"not an image"), rules=RULES, user_id=1,
               line_id=line.id, slot="photo", images_only=True)
    assert [a.file.name for a in order.attachments] == ["报价.pdf"]  # the document's own files only
    assert [a.file.name for a in line_attachments(db.session, EXAMPLE_ORDER, order)[line.id]] == ["照片.png"]
    assert EXAMPLE_ORDER.signed_content(order)["attachments"] == [order.attachments[0].file.sha256]


def test_files_are_added_and_removed_while_editable_and_downloaded_safely(app, client, auth, company):
    auth.login("zhangwei")
    order_id = file_order(client, "附件", 100, submit=False)
    added = client.post(f"/documents/example.order/{order_id}/files", data={
        "files": [(io.BytesIO(b"<html>x</html>"), "说明.pdf", "text/html")]}, content_type="multipart/form-data",
        headers={"HX-Request": "true"})
    assert added.status_code == 200 and "说明.pdf" in added.get_data(as_text=True)
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    download = client.get(f"/documents/example.order/{order_id}/files/{attachment_id}")
    assert download.headers["Content-Type"] == "application/pdf" and download.headers["X-Content-Type-Options"] == \
        "nosniff"
    refused = client.post(f"/documents/example.order/{order_id}/files", data={
        "files": [(io.BytesIO(b"MZ"), "x.exe")]}, content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert refused.status_code == 422
    client.post(f"/documents/example.order/{order_id}/submit")
    assert client.post(f"/documents/example.order/{order_id}/files/{attachment_id}/delete").status_code == 409
    auth.login("lina")
    assert client.get(f"/documents/example.order/{order_id}/files/{attachment_id}").status_code == 403


def test_comments_and_the_timeline_of_every_round(desk):
    order, approval = desk.submit("zhangwei", 800)
    desk.act("return_", approval, "chenhao", reason="请补充")
    desk.change(db.session.get(ExampleOrder, order.id), "zhangwei", amount=900)
    desk.send(db.session.get(ExampleOrder, order.id), "zhangwei")
    with pytest.raises(Invalid, match="Write a comment"):
        add_comment(db.session, EXAMPLE_ORDER, order, author_id=desk.company["chenhao"], text="  ")
    add_comment(db.session, EXAMPLE_ORDER, order, author_id=desk.company["chenhao"], text="看过了",
                uploads=[Upload("批注.pdf", b"%PDF note")], rules=RULES)
    db.session.commit()
    entries = timeline(db.session, EXAMPLE_ORDER, db.session.get(ExampleOrder, order.id))
    kinds = [(e.kind, getattr(e.item, "action", "")) for e in entries]
    assert kinds[0] == ("comment", "") and ("approval", "return") in kinds and ("approval", "resubmit") in kinds
    assert ("change", "update") in kinds  # the amount changed between the rounds
    comment = db.session.scalar(select(Comment))
    assert [a.file.name for a in comment.attachments] == ["批注.pdf"]


def test_the_detail_page_shows_comments_files_and_every_round(app, client, auth, company):
    auth.login("zhangwei")
    order_id = file_order(client, "详情页", 800)
    auth.login("chenhao")
    client.post(f"/approvals/{approval_id(app, order_id)}/return", data={"reason": "请补充"})
    client.post(f"/documents/example.order/{order_id}/comments", data={
        "text": "看过了", "file": (io.BytesIO(b"%PDF note"), "批注.pdf")}, content_type="multipart/form-data")
    auth.login("zhangwei")
    page = client.get(f"/example/orders/{order_id}").get_data(as_text=True)
    assert "看过了" in page and "批注.pdf" in page and "请补充" in page


def approval_id(app, order_id) -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(ApprovalRequest.document_id == str(order_id)))


def test_anyone_who_may_see_a_document_comments_on_it_from_its_page(app, client, auth, company):
    auth.login("zhangwei")
    order_id = file_order(client, "评论", 100)
    auth.login("chenhao")  # the approver
    response = client.post(f"/documents/example.order/{order_id}/comments", data={"text": "请尽快"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "请尽快" in response.get_data(as_text=True)
    empty = client.post(f"/documents/example.order/{order_id}/comments", data={"text": ""},
                        headers={"HX-Request": "true"})
    assert empty.status_code == 422 and "Write a comment or attach a file." in empty.get_data(as_text=True)
    auth.login("lina")
    assert client.post(f"/documents/example.order/{order_id}/comments", data={"text": "x"}).status_code == 403


def test_the_detail_page_reads_a_fixed_number_of_statements(app, client, auth, company):
    from tests.test_queries import counted

    def grow(count):
        with app.app_context():
            order = db.session.get(ExampleOrder, order_id)
            for n in range(count):
                add_comment(db.session, EXAMPLE_ORDER, order, author_id=company["chenhao"], text=f"评论{n}",
                            uploads=[Upload(f"f{n}.pdf", b"%PDF")], rules=RULES)
                attach(db.session, EXAMPLE_ORDER, order, Upload(f"a{n}.pdf", b"%PDF"), rules=RULES,
                       user_id=order.requester_id)
            db.session.commit()

    auth.login("zhangwei")
    order_id = file_order(client, "语句数", 800)
    grow(1)
    client.get(f"/example/orders/{order_id}")
    with counted(app) as small:
        client.get(f"/example/orders/{order_id}")
    grow(5)
    with counted(app) as large:
        assert client.get(f"/example/orders/{order_id}").status_code == 200
    assert len(large) == len(small), (small, large)


def test_the_signed_content_is_the_document_and_its_lines_not_its_bookkeeping(desk):
    order = desk.draft("zhangwei", 100)
    content = EXAMPLE_ORDER.signed_content(order)
    assert "status" not in content and "created_at" not in content and content["lines"][0]["item"] == "服务器"
    assert content["amount"] == Decimal("100") and "order_id" not in content["lines"][0]


def test_a_printed_line_table_labels_its_columns_from_the_line_model_in_both_languages(app, desk):
    from intranet.documents.derive import printable

    order = desk.draft("zhangwei", 100)
    with app.test_request_context():
        paper = printable(EXAMPLE_ORDER, order)
    lines = next(table for table in paper.tables if table.rows and table.rows[0][0] == "服务器")
    # the line model's own label, then the core's vocabulary: never the raw key
    assert lines.columns == ("Article ordered", "数量 Quantity", "单价 Unit price")


def test_a_step_puts_a_refusal_beside_its_field_and_writes_nothing(app, company):
    """run_step: a document page's small form (deliver, sign in) in one transaction."""
    from flask_wtf import FlaskForm
    from wtforms import StringField

    from intranet import N_
    from intranet.documents import run_step
    from tests.example_module.models import ExampleItem

    class NoteForm(FlaskForm):
        note = StringField()

    def add(title):
        db.session.add(ExampleItem(title=title, owner_id=company["zhangwei"], due_on=datetime.now().date()))
        db.session.flush()

    def refuse():
        add("被拒绝")
        raise Invalid(N_("Say why."), field="note")

    with app.test_request_context(method="POST", data={"note": "x"}):
        form = NoteForm()
        assert run_step(form, refuse) is False and form.note.errors == ["Say why."]
        with pytest.raises(Conflict):
            run_step(NoteForm(), lambda: (add("冲突"), (_ for _ in ()).throw(Conflict(N_("Twice.")))))
        assert run_step(NoteForm(), lambda: add("保存")) is True
        assert [i.title for i in db.session.scalars(select(ExampleItem))] == ["保存"]
