"""The person picker 选人: search by name, pinyin, initials or employee number in one indexed
statement; the form fields that post employee numbers and refuse anyone unknown beside the field."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from intranet import db
from intranet.approvals import ApprovalRequest, ApprovalTask
from intranet.org import PeopleField, PersonField, User, find_people, pinyin_keys
from tests.conftest import each_statement, file_order
from tests.test_chinese_interface import chinese_client, sign_in
from tests.test_queries import counted, grow


@pytest.mark.parametrize("name, keys", [
    ("张伟", ("zhangwei", "zw")), ("陈志强", ("chenzhiqiang", "czq")), ("吕布", ("lvbu", "lb")),
    ("Alice Wang", ("alicewang", "aw")), ("王 Tom", ("wangtom", "wt")), ("", ("", "")),
])
def test_pinyin_keys(name, keys):
    assert pinyin_keys(name) == keys


def test_a_name_keeps_its_pinyin_however_it_is_set(app, company):
    with app.app_context():
        user = db.session.get(User, company["zhangwei"])
        assert (user.pinyin, user.initials) == ("zhangwei", "zw")
        user.name = "张卫东"
        db.session.commit()
        assert db.session.scalar(select(User.initials).where(User.id == user.id)) == "zwd"


def names(app, text, limit=10):
    with app.app_context():
        return [user.name for user in find_people(db.session, text, limit=limit)]


@pytest.mark.parametrize("text, expected", [
    ("张伟", "张伟"), ("张", "张伟"), ("zw", "张伟"), ("ZW", "张伟"), ("zhangw", "张伟"), ("zhang wei", "张伟"),
    ("E0302", "张伟"), ("e0302", "张伟"), ("zhangwei", "张伟"), ("czq", "陈志强"), ("hm", "韩梅"),
])
def test_search_finds_people_by_name_pinyin_initials_or_number(app, company, text, expected):
    assert expected in names(app, text)


def test_the_exact_match_comes_first_and_the_list_is_limited(app, company):
    assert names(app, "ch")[:1] != [] and set(names(app, "ch")) >= {"陈志强", "陈浩"}
    assert names(app, "E0302") == ["张伟"]
    assert len(names(app, "z", limit=3)) == 3
    assert names(app, "伟") == [] and names(app, "0302") == []  # the start of a name; a whole number
    assert names(app, "") == [] and names(app, "   ") == []
    assert names(app, "50%") == [] and names(app, "_") == []  # LIKE's own characters are literal


def test_people_who_left_are_not_suggested(app, company):
    with app.app_context():
        db.session.get(User, company["zhangwei"]).active = False
        db.session.commit()
    assert "张伟" not in names(app, "zw")


def test_the_fragment_in_english_and_chinese(app, client, auth, company):
    auth.login("zhangwei")
    page = client.get("/org/people/pick", query_string={"to_user-q": "chenh", "for": "to_user-q"},
                      headers={"HX-Request": "true"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-value="E0301"' in text and "研发部 · E0301" in text
    assert "<html" not in text
    assert "No colleague matches “nobody”." in client.get("/org/people/pick?q=nobody").get_data(as_text=True)
    chinese = chinese_client(app)
    sign_in(chinese, "zhangwei")
    assert "没有匹配“nobody”的同事。" in chinese.get("/org/people/pick?q=nobody").get_data(as_text=True)
    form = chinese.get("/approvals/delegations").get_data(as_text=True)
    assert 'hx-get="/org/people/pick"' in form and "姓名、拼音首字母或工号" in form


def test_the_fragment_needs_a_signed_in_employee(client, company):
    assert client.get("/org/people/pick?q=zw").status_code == 302


def test_one_statement_for_the_suggestions_however_many_match(app, client, auth, company):
    auth.login("zhangwei")
    client.get("/org/people/pick?q=yg")
    with counted(app) as few:
        client.get("/org/people/pick?q=yg")
    grow(app, company, 40)  # forty more 员工 ("yg")
    with counted(app) as many:
        page = client.get("/org/people/pick?q=yg").get_data(as_text=True)
    assert len(many) == len(few) and page.count('role="option"') == 10


@pytest.mark.parametrize("text", ["zw", "张伟", "E0302"])
def test_every_branch_of_the_search_walks_an_index_on_sqlite(app, company, backend, text):
    if backend != "sqlite":
        pytest.skip("PostgreSQL's plan depends on its statistics; its indexes use text_pattern_ops")
    seen = []
    with each_statement(app, lambda _cursor, statement: seen.append(statement)):
        names(app, text)
    statement = next(s for s in seen if "FROM core_user" in s)
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            plan = " ".join(row[-1] for row in raw.cursor().execute(
                "EXPLAIN QUERY PLAN " + statement, [text] * statement.count("?")).fetchall())
        finally:
            raw.close()
    assert "MULTI-INDEX OR" in plan and "SCAN core_user" not in plan, plan
    assert "ix_core_user_pinyin" in plan and "ix_core_user_initials" in plan, plan


# -- the form fields -----------------------------------------------------------------
class Picked:
    def __init__(self, app, **posted):
        from wtforms import Form

        class PickerForm(Form):
            one = PersonField("One", required=True)
            many = PeopleField("Many", max_people=3)

        with app.test_request_context(headers={"Accept-Language": "en"}):
            self.form = PickerForm(MultiDict(posted))
            self.valid = self.form.validate()
            self.chips = [person.name for person in self.form.many.people]


def test_the_fields_read_employee_numbers_and_give_user_ids(app, company):
    picked = Picked(app, one="E0302", many=["E0301", "E0303", "E0301"])
    assert picked.valid, picked.form.errors
    assert picked.form.one.data == company["zhangwei"]
    assert picked.form.many.data == [company["chenhao"], company["lina"]] and picked.chips == ["陈浩", "李娜"]


def test_typed_text_counts_when_it_names_one_person(app, company):
    picked = Picked(app, **{"one-q": "zhangwei", "many": ["E0301"], "many-q": "李娜"})
    assert picked.valid, picked.form.errors
    assert picked.form.one.data == company["zhangwei"]
    assert picked.form.many.data == [company["chenhao"], company["lina"]]


@pytest.mark.parametrize("posted, field, message", [
    ({}, "one", "Choose a colleague."),
    ({"one": "E9999"}, "one", "No colleague matches “E9999”"),
    ({"one-q": "zw"}, "one", "No colleague matches “zw”"),
    ({"one": ["E0301", "E0302"]}, "one", "Choose only one colleague."),
    ({"one": "E0302", "many": ["E0001", "E0002", "E0003", "E0004"]}, "many", "Choose at most 3 people."),
])
def test_bad_choices_are_refused_beside_the_field(app, company, posted, field, message):
    picked = Picked(app, **posted)
    assert not picked.valid and any(message in error for error in picked.form.errors[field]), picked.form.errors


def test_someone_who_left_cannot_be_chosen(app, company):
    with app.app_context():
        db.session.get(User, company["zhangwei"]).active = False
        db.session.commit()
    picked = Picked(app, one="E0302")
    assert not picked.valid and picked.form.one.data is None


def test_two_people_of_one_name_must_be_picked_not_typed(app, company):
    with app.app_context():
        db.session.add(User(username="zhangwei2", employee_no="E0399", name="张伟"))
        db.session.commit()
    picked = Picked(app, **{"one-q": "张伟"})
    assert "Several colleagues match “张伟”" in picked.form.errors["one"][0]


# -- where people are chosen -----------------------------------------------------------
def test_hand_over_with_the_picker_and_a_bad_value_beside_the_field(app, client, auth, company):
    auth.login("zhangwei")
    order_id = file_order(client)
    with app.app_context():
        approval = db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.type_key == "example.order",
                                                                  ApprovalRequest.document_id == str(order_id)))
        request_id = approval.id
    auth.login("chenhao")
    page = client.get(f"/approvals/{request_id}").get_data(as_text=True)
    assert 'name="to_user-q"' in page and 'role="combobox"' in page
    bad = client.post(f"/approvals/{request_id}/transfer", data={"to_user": "E9999"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "No colleague matches “E9999”" in text
    assert text.index('id="to_user-q"') < text.index("No colleague matches") < text.index('id="user-q"')
    assert client.post(f"/approvals/{request_id}/transfer", data={"to_user-q": "李娜"}).status_code == 302
    with app.app_context():
        pending = db.session.scalars(select(ApprovalTask.assignee_id).where(
            ApprovalTask.request_id == request_id, ApprovalTask.status == "pending")).all()
    assert pending == [company["lina"]]


def test_the_department_form_shows_and_keeps_its_head(app, client, auth, company):
    auth.login("hanmei")
    with app.app_context():
        rd = db.session.execute(db.text("SELECT id FROM core_department WHERE code = 'RD'")).scalar()
    page = client.get(f"/org/admin/departments/{rd}/edit").get_data(as_text=True)
    assert 'name="head" value="E0301" checked' in page and 'name="vp" value="E0003" checked' in page
    response = client.post(f"/org/admin/departments/{rd}/edit", data={
        "name": "研发部", "code": "RD", "parent_id": "", "head": "E0302", "vp": "E0003", "sort_order": "0",
        "active": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.text(f"SELECT head_id FROM core_department WHERE id = {rd}")).scalar() \
            == company["zhangwei"]


def test_the_example_order_has_a_reviewer_chosen_with_the_picker(app, client, auth, company):
    auth.login("zhangwei")
    assert 'name="reviewer_id-q"' in client.get("/example/orders/new").get_data(as_text=True)
    order_id = file_order(client, submit=False, reviewer_id="E0303")
    assert "Reviewer: 李娜" in client.get(f"/example/orders/{order_id}").get_data(as_text=True)
    edit = client.get(f"/example/orders/{order_id}/edit").get_data(as_text=True)
    assert 'name="reviewer_id" value="E0303" checked' in edit
    bad = client.post(f"/example/orders/{order_id}/edit", data={
        "title": "x", "category": "办公用品", "lines-0-item": "a", "lines-0-quantity": "1", "lines-0-unit_price": "1",
        "reviewer_id-q": "nobody"})
    assert bad.status_code == 422 and "No colleague matches “nobody”" in bad.get_data(as_text=True)


def test_the_policy_editor_suggests_the_named_approver(app, client, auth, company):
    auth.login("hanmei")
    page = client.get("/approvals/policies/example.order").get_data(as_text=True)
    assert 'name="rules-0-steps-0-user"' in page and "&#34;for&#34;: &#34;rules-0-steps-0-user&#34;" in page
    options = client.get("/org/people/pick", query_string={"for": "rules-0-steps-0-user",
                                                           "rules-0-steps-0-user": "wg"}).get_data(as_text=True)
    assert 'data-value="E0201"' in options  # 吴刚
