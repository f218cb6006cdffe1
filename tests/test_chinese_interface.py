"""A Chinese reader sees Chinese: the main pages rendered in zh_CN carry no English UI words
(see tests/visible_text.py for how a page is read)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet import db
from intranet.approvals import ApprovalRequest
from intranet.org import Department, User
from intranet.org.demo import create_demo_company
from tests.conftest import build_app
from tests.visible_text import WORD, english_words


def chinese_client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9"
    return client


def sign_in(client, username):
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"login": username, "password": "demo1234"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def new_request(client, title, amount, submit=True):
    data = {"title": title, "category": "办公用品", "amount": amount, "description": "说明"}
    if submit:
        data["submit"] = "1"
    response = client.post("/general/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def app(database_url):
    """The product as shipped: the built-in modules, without the tests' example module."""
    app = build_app(database_url, PLUGINS_EXTRA=())
    with app.app_context():
        create_demo_company(db.session, hash_method=app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def lived_in(app):
    """A company that has used the intranet for a day: requests in every state, a
    resubmission, a print-out, a delegation, notifications."""
    client = chinese_client(app)
    sign_in(client, "zhangwei")
    returned = new_request(client, "研发服务器", "6000")
    waiting = new_request(client, "显示器", "2500")
    draft = new_request(client, "草稿", "100", submit=False)
    with app.app_context():
        approvals = {row.document_id: row.id for row in db.session.scalars(select(ApprovalRequest))}
    sign_in(client, "chenhao")
    client.post(f"/approvals/{approvals[str(returned)]}/return", data={"reason": "请补充报价"})
    client.post(f"/approvals/{approvals[str(waiting)]}/approve", data={"comment": "同意"})
    sign_in(client, "zhangwei")
    response = client.post(f"/general/{returned}/edit", data={
        "title": "研发服务器（两台）", "category": "办公用品", "amount": "2500.00", "description": "说明", "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    client.get(f"/print/general.request/{waiting}")
    client.post("/approvals/delegations", data={"delegate": "E0303", "module": "", "starts_at": "2026-01-01T09:00",
                                                 "ends_at": "2026-01-02T18:00"})
    with app.app_context():
        names = {part for user in db.session.scalars(select(User))
                 for part in (user.username, *WORD.findall(user.email or ""))}
        names |= set(db.session.scalars(select(Department.code)))
    return {"returned": returned, "waiting": waiting, "draft": draft,
            "approval": approvals[str(returned)], "data": names}


PAGES = {
    "zhangwei": ["/", "/widgets/core.approvals", "/widgets/general.mine", "/approvals/?tab=submitted",
                 "/general/", "/general/new", "/general/{returned}", "/general/{draft}/edit",
                 "/approvals/{approval}", "/approvals/delegations", "/notifications/", "/org/me",
                 "/org/people", "/search?q=研发", "/me/signature", "/auth/password"],
    "chenhao": ["/approvals/", "/approvals/?tab=waiting", "/approvals/?tab=copied", "/approvals/?tab=done",
                "/approvals/{approval}", "/general/{returned}", "/notifications/"],
    "hanmei": ["/", "/admin/settings", "/admin/roles", "/admin/modules", "/admin/calendar", "/audit/",
               "/audit/?page=2", "/org/admin/users", "/org/departments", "/org/admin/positions",
               "/org/admin/users/new", "/org/admin/departments/new", "/org/admin/import/users",
               "/admin/printing", "/approvals/policies", "/approvals/policies/general.request",
               "/approvals/policies/general.request/simulate",
               "/approvals/policies/general.request/simulate?amount=8000&category=办公用品&department=RD"
               "&requester=E0302"],
}


def test_the_main_pages_in_chinese_carry_no_english_ui_words(app, lived_in):
    client = chinese_client(app)
    found = {}
    for username, urls in PAGES.items():
        sign_in(client, username)
        for url in urls:
            url = url.format(**lived_in)
            response = client.get(url)
            words = english_words(response.get_data(as_text=True), lived_in["data"])
            if response.status_code != 200:
                words.append(f"(status {response.status_code})")
            if words:
                found[f"{username} {url}"] = words
    assert found == {}, "English words in Chinese pages:\n" + "\n".join(f"{page}: {' '.join(words)}"
                                                                       for page, words in found.items())


def test_the_word_check_sees_what_a_person_sees():
    html = ('<p>提交 <b>Submit</b></p><input placeholder="Search"><script>var x = "Hidden";</script>'
            '<code translate="no">flask init</code><input type="submit" value="Go"><button value="zh_CN">走</button>'
            '<a href="/x" class="button">E0301 GR-2026-000001 ¥2,500.00 hanmei@example.com 3f2a9c0d1e4b5a67 导出 CSV</a>')
    assert english_words(html, set()) == ["Go", "Search", "Submit"]
