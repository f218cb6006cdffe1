"""Every hook is documented and has a test of its own here, proven through
tests/example_module (as datasette's suite does for its hooks)."""
from __future__ import annotations

import inspect
import re
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from intranet import db, hookspecs
from intranet.notify import Notification
from tests.example_module.models import ExampleItem

HOOKS = sorted(name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction)
               if name.startswith("intranet_"))


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name):
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    summary = doc.split("\n", 1)[0]
    assert summary.endswith("."), f"{name} needs a one-line summary"
    assert ":return:" in doc, f"{name} must document what it returns"
    assert re.search(r"[Cc]alled", doc), f"{name} must say when it is called"
    for parameter in inspect.signature(getattr(hookspecs, name)).parameters:
        assert f":param {parameter}:" in doc, f"{name} must document its argument {parameter}"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name):
    tests = {n for n, _ in inspect.getmembers(sys.modules[__name__], inspect.isfunction)}
    assert f"test_hook_{name.removeprefix('intranet_')}" in tests


def add_item(app, owner_id, title="巡检", due_on=None):
    with app.app_context():
        from intranet.org import User

        owner = db.session.get(User, owner_id)
        item = ExampleItem(title=title, owner_id=owner_id, department_id=owner.department_id,
                           due_on=due_on or date.today())
        db.session.add(item)
        db.session.commit()
        return item.id


def test_hook_module(app):
    module = app.extensions["intranet"].registry.modules["example"]
    assert module.info.title == "Example"
    assert module.tables == ["example_item"]


def test_hook_blueprints(client, auth, company, app):
    add_item(app, company["zhangwei"], "蓝图事项")
    auth.login("zhangwei")
    response = client.get("/example/")
    assert response.status_code == 200
    assert "蓝图事项" in response.get_data(as_text=True)


def test_hook_permissions(app, client, auth, company):
    assert "example.manage" in app.extensions["intranet"].permissions
    item = add_item(app, company["zhangwei"])
    auth.login("zhangwei")
    assert client.post(f"/example/{item}/done").status_code == 403
    auth.login("hanmei")  # sysadmin: granted by default_roles at install
    assert client.post(f"/example/{item}/done").status_code == 200


def test_hook_settings(app, client, auth, company):
    auth.login("hanmei")
    page = client.get("/admin/settings?module=example").get_data(as_text=True)
    assert "example.reminder_days" in page
    response = client.post("/admin/settings", data={"example.reminder_days": "7"})
    assert response.status_code == 302
    with app.test_request_context():
        from intranet.web import settings

        assert settings()["example.reminder_days"] == 7


def test_hook_menu_items(app, client, auth, company):
    add_item(app, company["zhangwei"])
    add_item(app, company["zhangwei"])
    auth.login("zhangwei")
    page = client.get("/").get_data(as_text=True)
    entry = page[page.index('href="/example/"'):]
    assert '<span class="count">2</span>' in entry[:entry.index("</a>")]
    auth.login("chenhao")  # counted for the signed-in user only
    page = client.get("/").get_data(as_text=True)
    entry = page[page.index('href="/example/"'):]
    assert 'class="count"' not in entry[:entry.index("</a>")]


def test_hook_dashboard_widgets(app, client, auth, company):
    add_item(app, company["zhangwei"])
    add_item(app, company["zhangwei"])
    auth.login("zhangwei")
    assert 'hx-get="/widgets/example.open"' in client.get("/").get_data(as_text=True)
    card = client.get("/widgets/example.open", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "2 open example items" in card and "<html" not in card
    assert "2 open example items" in client.get("/widgets/example.open").get_data(as_text=True)  # without htmx
    assert client.get("/widgets/nosuch.widget").status_code == 404


def test_hook_reminder_scanners(app, runner, company):
    add_item(app, company["zhangwei"], "明天到期", due_on=date.today() + timedelta(days=1))
    add_item(app, company["zhangwei"], "下月到期", due_on=date.today() + timedelta(days=40))
    first = runner.invoke(args=["remind"])
    assert first.exit_code == 0, first.output
    assert "1 reminders delivered" in first.output
    second = runner.invoke(args=["remind"])
    assert "0 reminders delivered, 1 already sent" in second.output
    with app.app_context():
        notes = db.session.scalars(select(Notification)).all()
        assert [(n.user_id, n.params["title"]) for n in notes] == [(company["zhangwei"], "明天到期")]


def test_hook_search(app, client, auth, company):
    add_item(app, company["zhangwei"], "年度巡检计划")
    auth.login("zhangwei")
    page = client.get("/search?q=巡检").get_data(as_text=True)
    assert "年度巡检计划" in page


def test_hook_demo_data(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExampleItem)) == 3
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "exists already" in again.output


def test_hook_cli_commands(app, runner, company):
    add_item(app, company["zhangwei"])
    result = runner.invoke(args=["example-hello"])
    assert result.output.strip() == "hello from example, 1 items"


def test_hook_approval_types(app, client, auth, company):
    assert "example.item" in app.extensions["intranet"].approval_types
    item_id = add_item(app, company["zhangwei"], "需要审批的事项")
    with app.app_context():
        from intranet.approvals import engine_for

        state = app.extensions["intranet"]
        engine = engine_for(db.session, state, enabled=state.registry.modules)
        item = db.session.get(ExampleItem, item_id)
        approval = engine.submit("example.item", item, requester_id=company["zhangwei"], title=item.title,
                                 number=f"EX-{item.id}", values={"title": item.title})
        db.session.commit()
        approval_id = approval.id
    auth.login("chenhao")  # 张伟's manager, by the example's default policy
    inbox = client.get("/approvals/").get_data(as_text=True)
    assert "需要审批的事项" in inbox and 'class="example-summary"' in inbox
    assert client.post(f"/approvals/{approval_id}/approve").status_code == 302
    with app.app_context():
        assert db.session.get(ExampleItem, item_id).done  # the module's callback ran


def test_hook_pdf_templates(app, client, auth, company):
    assert "example.item" in app.extensions["intranet"].pdf_templates
    item_id = add_item(app, company["zhangwei"], "打印示例")
    auth.login("zhangwei")
    response = client.get(f"/print/example.item/{item_id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True).stdout.decode()
    assert "示例事项" in text and "打印示例" in text
    auth.login("lina")  # the template's can_view decides
    assert client.get(f"/print/example.item/{item_id}").status_code == 403
