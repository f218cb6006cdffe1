"""The module switchboard: on and off without a restart, agreed by every worker."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from intranet import db
from intranet.notify import Notification
from tests.conftest import build_app
from tests.example_module.models import ExampleItem


def switch(client, key, on):
    return client.post(f"/admin/modules/{key}", data={"enabled": "1" if on else "0"})


def test_it_switches_a_module_off_and_on(app, client, auth, company):
    auth.login("tangjie")
    assert 'href="/example/"' in client.get("/").get_data(as_text=True)
    response = switch(client, "example", False)
    assert response.status_code == 200 and response.headers["HX-Refresh"] == "true"
    page = client.get("/").get_data(as_text=True)
    assert 'href="/example/"' not in page and "/widgets/example.open" not in page
    assert client.get("/widgets/example.open").status_code == 404
    off = client.get("/example/")
    assert off.status_code == 404 and "switched off" in off.get_data(as_text=True)
    switch(client, "example", True)
    assert client.get("/example/").status_code == 200


def test_a_signed_out_visitor_to_a_switched_off_module_is_asked_to_sign_in(app, client, auth, company):
    """Strangers learn nothing about which modules the company runs."""
    auth.login("tangjie")
    switch(client, "example", False)
    auth.logout()
    response = client.get("/example/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_switching_off_keeps_data_and_silences_reminders(app, client, auth, runner, company):
    with app.app_context():
        db.session.add(ExampleItem(title="保留", owner_id=company["lina"], due_on=date.today() + timedelta(days=1)))
        db.session.commit()
    auth.login("tangjie")
    switch(client, "example", False)
    assert "0 reminders delivered" in runner.invoke(args=["remind"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExampleItem)) == 1
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    switch(client, "example", True)
    assert "1 reminders delivered" in runner.invoke(args=["remind"]).output


def test_every_worker_agrees_at_the_next_request(database_url, company):
    first, second = build_app(database_url), build_app(database_url)  # two worker processes
    one, two = first.test_client(), second.test_client()
    for client in (one, two):
        client.post("/auth/login", data={"login": "tangjie", "password": "demo1234"})
    assert two.get("/example/").status_code == 200  # second worker has the module cached as on
    switch(one, "example", False)
    assert two.get("/example/").status_code == 404
    switch(one, "example", True)
    assert two.get("/example/").status_code == 200


def test_switching_needs_the_permission(client, auth, company):
    auth.login("zhangwei")
    assert switch(client, "example", False).status_code == 403
    assert client.get("/admin/modules").status_code == 403


def test_the_page_shows_dependants_and_pending_approvals_before_switching_off(app, client, auth, company):
    auth.login("tangjie")
    page = client.get("/admin/modules/example/switch-off", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "It has no pending approvals." in page and "No other module needs it." in page
    assert "<html" not in page


@pytest.fixture
def needy_app(database_url):
    return build_app(database_url, PLUGINS_EXTRA=["tests.example_module", "tests.needy_module"])


def test_dependencies_are_enforced_both_ways(needy_app, company):
    runner = needy_app.test_cli_runner()
    refused = runner.invoke(args=["modules", "disable", "example", "--yes"])
    assert refused.exit_code == 1 and "needy needs example" in refused.output
    assert runner.invoke(args=["modules", "disable", "needy"]).exit_code == 0
    assert runner.invoke(args=["modules", "disable", "example"]).exit_code == 0
    refused = runner.invoke(args=["modules", "enable", "needy"])
    assert refused.exit_code == 1 and "Switch on example first" in refused.output
    listing = runner.invoke(args=["modules", "list"]).output
    assert "example        off" in listing and "used by needy" in listing
    client = needy_app.test_client()
    client.post("/auth/login", data={"login": "tangjie", "password": "demo1234"})
    response = switch(client, "needy", True)
    assert response.status_code == 409 and "Switch on example first" in response.get_data(as_text=True)


def test_cli_reports_unknown_modules(runner, company):
    result = runner.invoke(args=["modules", "enable", "nosuch"])
    assert result.exit_code == 1 and "There is no module nosuch." in result.output
