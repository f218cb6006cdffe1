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
from intranet.approvals import ApprovalRequest
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
    assert module.tables == ["example_item", "example_order", "example_order_line"]


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


def test_hook_settings_changed(app, client, auth, company):
    """Modules hear of a change inside its transaction and may refuse it beside the setting."""
    add_item(app, company["zhangwei"])
    auth.login("hanmei")
    response = client.post("/admin/settings", data={"example.reminder_days": "0", "core.page_size": "40"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Open items need at least a day&#39;s notice." in page
    with app.test_request_context():
        from intranet.web import settings

        assert (settings()["example.reminder_days"], settings()["core.page_size"]) == (3, 25)  # nothing saved
    assert client.post("/admin/settings", data={"example.reminder_days": "1"}).status_code == 302


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


# -- the module kit's hooks ---------------------------------------------------------------
@pytest.fixture
def thrifty(database_url, company):
    """The app with the thrifty module too, which uses the example module when it is on."""
    from tests.conftest import build_app

    app = build_app(database_url, PLUGINS_EXTRA=["tests.example_module", "tests.thrifty_module"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def sign_in(client, username):
    client.post("/auth/logout")
    client.post("/auth/login", data={"login": username, "password": "demo1234"})


def test_hook_models(app):
    from tests.example_module.models import ExampleOrder, ExampleOrderLine

    module = app.extensions["intranet"].registry.modules["example"]
    assert module.models == [ExampleItem, ExampleOrder, ExampleOrderLine]
    assert ExampleOrder.__module_key__ == "example"  # the audit log knows the table's module


def test_hook_document_types(app, client, auth, company):
    from tests.conftest import file_order

    state = app.extensions["intranet"]
    kind = state.document_types["example.order"]
    assert "example.order" in state.approval_types and "example.order" in state.pdf_templates  # derived
    assert state.settings["example.order.number_format"].default == "{prefix}-{yyyy}-{seq:06}"
    auth.login("zhangwei")
    order_id = file_order(client, "显示器", 1200)
    with app.app_context():
        order = kind.load_one(db.session, order_id)
        assert order.number.startswith("EX-") and order.number.endswith("-000001") and order.status == "pending"
    auth.login("chenhao")
    inbox = client.get("/approvals/").get_data(as_text=True)
    assert "显示器" in inbox and "办公用品" in inbox  # the declared summary field
    with app.app_context():
        approval_id = db.session.scalar(select(func.max(ApprovalRequest.id)))
    client.post(f"/approvals/{approval_id}/approve")
    with app.app_context():
        assert kind.load_one(db.session, order_id).status == "approved"  # moved by the engine's decision


def test_hook_document_event(thrifty, company):
    from intranet.settings import SettingValue
    from tests.conftest import file_order

    client = thrifty.test_client()
    sign_in(client, "zhangwei")
    small, large = file_order(client, "小单", 300), file_order(client, "大单", 3000)
    with thrifty.app_context():
        db.session.add(SettingValue(key="thrifty.limit", value="1000"))
        db.session.commit()
        ids = {d: db.session.scalar(select(ApprovalRequest.id).where(ApprovalRequest.document_id == str(d)))
               for d in (small, large)}
    sign_in(client, "chenhao")
    assert client.post(f"/approvals/{ids[small]}/approve").status_code == 302
    refused = client.post(f"/approvals/{ids[large]}/approve")
    assert refused.status_code == 409 and "Over the thrifty limit" in refused.get_data(as_text=True)
    with thrifty.app_context():  # the subscriber ran in the deciding transaction: refused means nothing written
        assert db.session.get(ApprovalRequest, ids[large]).status == "pending"
        reserved = db.session.scalars(select(Notification.message).where(Notification.module == "thrifty")).all()
        assert reserved == ["Reserved %(amount)s for %(number)s"]


def test_hook_detail_panels(thrifty, company):
    from tests.conftest import file_order

    client = thrifty.test_client()
    sign_in(client, "zhangwei")
    order_id = file_order(client, "服务器", 100)
    page = client.get(f"/example/orders/{order_id}").get_data(as_text=True)
    assert "Thrifty check" in page and 'class="thrifty-panel">In stock: 2' in page
    sign_in(client, "tangjie")
    client.post("/admin/modules/thrifty", data={"enabled": "0"})
    sign_in(client, "zhangwei")
    assert "Thrifty check" not in client.get(f"/example/orders/{order_id}").get_data(as_text=True)


def test_hook_roles(app, client, auth, company):
    from intranet.auth import holders
    from intranet.org import Role, User

    with app.app_context():
        role = db.session.get(Role, "example_reviewer")
        assert role is not None and role.builtin and role.name == "Example reviewer"
        lina = db.session.get(User, company["lina"])
        lina.roles.append(role)
        db.session.commit()
        assert company["lina"] in holders(db.session, "example.manage")  # granted by default_roles
        assert company["lina"] not in holders(db.session, "example.view_all")
    auth.login("hanmei")
    assert "Example reviewer" in client.get("/admin/roles").get_data(as_text=True)


def test_hook_addhooks(thrifty, company):
    client = thrifty.test_client()
    sign_in(client, "zhangwei")
    assert client.get("/thrifty/stock/服务器").json == {"stock": "2"}
    assert client.get("/thrifty/stock/飞机").json == {"stock": "unknown item"}  # on, but no answer
    sign_in(client, "tangjie")
    assert client.post("/admin/modules/example", data={"enabled": "0"}).status_code == 200
    sign_in(client, "zhangwei")
    assert client.get("/thrifty/stock/服务器").json == {"stock": "no stock check was made"}  # off
