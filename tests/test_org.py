"""Departments, positions, users and the CSV import."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from intranet import db
from intranet.org import Department, User

NEW_USER = {"username": "wangfang", "employee_no": "E0310", "name": "王芳", "email": "wangfang@example.com",
            "phone": "13800001234", "department_id": "", "position_id": "", "manager": "E0301",
            "language": "zh_CN", "role_keys": ["employee"], "active": "y"}


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_directory_lists_and_searches_people(client, auth, company):
    auth.login("zhangwei")
    page = client.get("/org/people?q=陈").get_data(as_text=True)
    assert "陈浩" in page and "陈志强" in page and "孙丽" not in page
    fragment = client.get("/org/people?q=陈", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]


def test_directory_filters_by_department_subtree(app, client, auth, company):
    with app.app_context():
        purchasing = db.session.scalar(select(Department.id).where(Department.code == "PUR"))
    auth.login("zhangwei")
    page = client.get(f"/org/people?department={purchasing}", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert "马超" in page and "罗军" in page  # 仓库 sits below 采购部
    assert "张伟" not in page


def test_admin_creates_a_user(app, client, auth, company):
    auth.login("hanmei")
    response = client.post("/org/admin/users/new", data=NEW_USER)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "wangfang"))
        assert user.manager_id == company["chenhao"]
        assert user.role_keys == {"employee"}


@pytest.mark.parametrize("field, value, message", [
    ("username", "", "This field is required."),
    ("username", "zhangwei", "This user name is taken."),
    ("username", "<script>", "Use 2-64 letters"),
    ("employee_no", "E0302", "Another employee has this number."),
    ("employee_no", "x" * 500, "Field cannot be longer than 30 characters."),
    ("email", "not-an-address", "Enter an e-mail address."),
    ("email", "zhangwei@example.com", "Another employee has this e-mail address."),
    ("phone", "'; DROP TABLE core_user; --", "Use digits, spaces"),
    ("manager", "E7777", "No colleague matches “E7777”"),
    ("manager-q", "nobody at all", "No colleague matches “nobody at all”"),
    ("department_id", "abc", "Invalid Choice: could not coerce."),
    ("role_keys", ["root"], "is not a valid choice"),
    ("name", "", "This field is required."),
])
def test_bad_user_input_is_refused_beside_the_field(app, client, auth, company, field, value, message):
    auth.login("hanmei")
    before = count(app, User)
    response = client.post("/org/admin/users/new", data={**NEW_USER, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, User) == before


def test_a_department_cannot_sit_below_itself(app, client, auth, company):
    with app.app_context():
        ids = dict(db.session.execute(select(Department.code, Department.id)).all())
    auth.login("hanmei")
    response = client.post(f"/org/admin/departments/{ids['PUR']}/edit", data={
        "name": "采购部", "code": "PUR", "parent_id": str(ids["WH"]), "head": "", "vp": "", "sort_order": "0",
        "active": "y"})
    assert response.status_code == 422
    assert "A department cannot sit below itself." in response.get_data(as_text=True)


def test_department_head_and_vp_by_employee_number(app, client, auth, company):
    auth.login("sunli")  # HR manager manages the organisation
    response = client.post("/org/admin/departments/new", data={
        "name": "质量部", "code": "QA", "parent_id": "", "head": "E0303", "vp": "E0003", "sort_order": "5",
        "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        qa = db.session.scalar(select(Department).where(Department.code == "QA"))
        assert (qa.head_id, qa.vp_id) == (company["lina"], company["liuyang"])


def upload(client, kind, text, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(f"/org/admin/import/{kind}", data={"file": (io.BytesIO(data), "import.csv")},
                       content_type="multipart/form-data")


USERS_CSV = """employee_no,username,name,email,department_code,manager_employee_no,roles,active
E1001,liqiang,李强,liqiang@example.com,RD,E1002,employee,yes
E1002,zhoujie,周杰,zhoujie@example.com,RD,E0301,employee;dept_head,yes
E0302,zhangwei,张伟,zhangwei@example.com,RD,E0301,employee,yes
"""


def test_csv_import_creates_and_updates_users(app, client, auth, company):
    auth.login("hanmei")
    response = upload(client, "users", "\ufeff" + USERS_CSV)
    assert response.status_code == 302
    with app.app_context():
        liqiang = db.session.scalar(select(User).where(User.employee_no == "E1001"))
        zhoujie = db.session.scalar(select(User).where(User.employee_no == "E1002"))
        assert liqiang.manager_id == zhoujie.id  # a manager defined further down the file
        assert zhoujie.role_keys == {"employee", "dept_head"}


def test_csv_import_with_a_bad_row_imports_nothing_and_reports_every_problem(app, client, auth, company):
    auth.login("hanmei")
    before = count(app, User)
    bad = USERS_CSV + "E1003,liqiang,重名,,NOPE,E8888,wizard,maybe\n"
    response = upload(client, "users", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in page
    for problem in ("No department has code NOPE.", "No employee has number E8888.", "Unknown role: wizard.",
                    "Enter yes or no.", "Also on line 2 of this file."):
        assert problem in page, problem
    assert count(app, User) == before


def test_one_problem_is_counted_in_the_singular(client, auth, company):
    auth.login("hanmei")
    page = upload(client, "users", USERS_CSV + "E1003,wangwu,王五,,NOPE,,employee,yes\n").get_data(as_text=True)
    assert "Nothing was imported: 1 problem<" in page


@pytest.mark.parametrize("data, message", [
    ("姓名,工号\n张三,1\n".encode("gbk"), "not UTF-8"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    ("employee_no,username\nE1,x\n", "missing: name"),
    ("employee_no,username,name,salary\nE1,x,y,1\n", "Unknown columns: salary"),
    ("employee_no,username,name\n", "no rows"),
    ('employee_no,username,name\nE1,"unclosed,y\n', "not valid CSV"),
    ("employee_no,username,name\nE1,x,y,extra\n", "more values than the header"),
])
def test_malformed_csv_files_are_refused_with_a_reason(app, client, auth, company, data, message):
    auth.login("hanmei")
    before = count(app, User)
    response = upload(client, "users", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, User) == before


def test_csv_import_of_departments_with_parents_further_down(app, client, auth, company):
    auth.login("hanmei")
    response = upload(client, "departments", "code,name,parent_code,head_employee_no\n"
                                              "QA1,质检一组,QA,E0303\nQA,质量部,GMO,\n")
    assert response.status_code == 302
    with app.app_context():
        rows = dict(db.session.execute(select(Department.code, Department.parent_id)).all())
        ids = dict(db.session.execute(select(Department.code, Department.id)).all())
        assert rows["QA1"] == ids["QA"] and rows["QA"] == ids["GMO"]


def test_csv_import_refuses_a_department_cycle(app, client, auth, company):
    auth.login("hanmei")
    before = count(app, Department)
    response = upload(client, "departments", "code,name,parent_code\nA1,甲,B1\nB1,乙,A1\n")
    assert response.status_code == 422
    assert "A department cannot sit below itself." in response.get_data(as_text=True)
    assert count(app, Department) == before


def test_user_export_as_csv_and_excel(app, client, auth, company):
    auth.login("hanmei")
    csv_response = client.get("/org/admin/users/export.csv?q=张")
    assert csv_response.mimetype == "text/csv"
    assert "张伟" in csv_response.get_data(as_text=True)
    xlsx = client.get("/org/admin/users/export.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 1 + len(company.ids)


def test_profile_language_and_phone(app, client, auth, company):
    auth.login("zhangwei")
    assert client.post("/org/me", data={"language": "en", "phone": "abc"}).status_code == 422
    assert client.post("/org/me", data={"language": "en", "phone": "+86 138 0000"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, company["zhangwei"]).language == "en"


def form_of(app, user_id, **changes) -> dict:
    """The user form as the edit page fills it in for ``user_id``, with ``changes``."""
    with app.app_context():
        user = db.session.get(User, user_id)
        data = {"username": user.username, "employee_no": user.employee_no, "name": user.name,
                "email": user.email or "", "phone": user.phone, "department_id": user.department_id or "",
                "position_id": user.position_id or "", "manager": user.manager.employee_no if user.manager else "",
                "language": user.language or "", "role_keys": sorted(user.role_keys), "active": "y"}
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_the_last_person_who_manages_roles_keeps_the_role_and_stays(app, client, auth, company):
    auth.login("sunli")  # HR manager edits people, the system administrator too
    hanmei = company["hanmei"]
    for changes in ({"role_keys": ["employee"]}, {"active": None, "left_on": "2026-12-31"}):
        response = client.post(f"/org/admin/users/{hanmei}/edit", data=form_of(app, hanmei, **changes))
        assert response.status_code == 422, changes
        assert "韩梅 is the last active person who may manage roles and permissions" in response.get_data(
            as_text=True)
        with app.app_context():
            user = db.session.get(User, hanmei)
            assert user.active and "sysadmin" in user.role_keys
    csv = "employee_no,username,name,roles,active\nE0903,hanmei,韩梅,employee,yes\n"
    response = upload(client, "users", csv)
    assert response.status_code == 422 and "韩梅 is the last active person" in response.get_data(as_text=True)
    with app.app_context():
        assert "sysadmin" in db.session.get(User, hanmei).role_keys
    tangjie = form_of(app, company["tangjie"], role_keys=["it_admin", "sysadmin"])  # a second one first
    assert client.post(f"/org/admin/users/{company['tangjie']}/edit", data=tangjie).status_code == 302
    response = client.post(f"/org/admin/users/{hanmei}/edit", data=form_of(app, hanmei, role_keys=["employee"]))
    assert response.status_code == 302


def test_person_page_shows_history_to_organisation_managers(client, auth, company):
    auth.login("hanmei")
    client.post(f"/org/admin/users/{company['lina']}/edit", data={
        **NEW_USER, "username": "lina", "employee_no": "E0303", "name": "李娜", "email": "lina@example.com",
        "phone": "139"})
    page = client.get(f"/org/people/{company['lina']}").get_data(as_text=True)
    assert "History" in page and "13800000303" in page
    auth.login("zhangwei")
    assert "History" not in client.get(f"/org/people/{company['lina']}").get_data(as_text=True)


def test_people_are_found_by_the_employee_numbers_a_field_holds(app, company):
    from intranet import Invalid
    from intranet.org import people_by_numbers

    with app.app_context():
        assert people_by_numbers(db.session, " E0302，E0303 E0302", "owner") == [company["zhangwei"], company["lina"]]
        assert people_by_numbers(db.session, "", "owner") == []
        with pytest.raises(Invalid) as refused:
            people_by_numbers(db.session, "E0302 X9", "helpers")
        assert refused.value.field == "helpers" and refused.value.params["number"] == "X9"
