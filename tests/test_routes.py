"""Walk every URL rule of an app with all modules switched on.

* anonymous requests go to the sign-in page (public pages excepted);
* a signed-in user without roles gets 403 on everything that needs a permission,
  and never a 500 on what every employee may open;
* every state-changing request without a CSRF token is refused and writes nothing;
* every response carries the security headers (CSP without inline script, no framing).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, IntegerConverter

from intranet import db
from intranet.audit import AuditEntry
from intranet.org import User
from intranet.web.access import access_of
from tests.conftest import build_app

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def urls(app):
    """(endpoint, method, url, access) for every rule, with placeholder arguments."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            values = {}
            for name, converter in rule._converters.items():
                if isinstance(converter, AnyConverter):
                    values[name] = sorted(converter.items)[0]
                elif isinstance(converter, IntegerConverter):
                    values[name] = 999999
                else:
                    values[name] = "x"
            url = app.url_for(rule.endpoint, **values)
            access = access_of(app.view_functions[rule.endpoint])
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url, access))
    return found


def test_every_view_declares_its_access(app):
    undeclared = sorted({endpoint for endpoint, _m, _u, access in urls(app) if access is None})
    assert undeclared == [], f"views without @public/@employee/@permission_required: {undeclared}"


def test_anonymous_requests_go_to_sign_in(app, client):
    for endpoint, method, url, access in urls(app):
        if access == ("public",):
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.headers["Location"].startswith("/auth/login"), endpoint


def test_htmx_requests_without_session_are_told_to_sign_in(app, client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/auth/login")


@pytest.fixture
def roleless(app, client, company):
    with app.app_context():
        from werkzeug.security import generate_password_hash

        db.session.add(User(username="nobody", employee_no="E9999", name="无角色",
                            password_hash=generate_password_hash("demo1234", method="pbkdf2:sha256:1000")))
        db.session.commit()
    assert client.post("/auth/login", data={"login": "nobody", "password": "demo1234"}).status_code == 302
    return client


def test_user_without_roles_gets_403_on_everything_not_for_every_employee(app, roleless):
    checked = 0
    for endpoint, method, url, access in urls(app):
        if endpoint in ("auth.logout",):
            continue
        response = roleless.open(url, method=method)
        if access[0] == "permission":
            assert response.status_code == 403, (endpoint, method, response.status_code)
            checked += 1
        else:
            assert response.status_code < 500, (endpoint, method, response.status_code)
            assert response.status_code != 403 or endpoint.startswith("example."), (endpoint, method)
    assert checked > 10


def test_state_changes_without_csrf_token_are_refused(database_url, company):
    app = build_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/auth/login", data={"login": "hanmei", "password": "demo1234",
                                            "csrf_token": token}).status_code == 302
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    refused = 0
    for endpoint, method, url, _access in urls(app):
        if method not in UNSAFE:
            continue
        response = client.open(url, method=method, data={"enabled": "0", "language": "en"})
        assert response.status_code == 400, (endpoint, method, response.status_code)
        refused += 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert refused > 10
    # and with the token in the htmx header the same kind of request goes through
    response = client.post("/language", data={"language": "en"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302


def directives(policy: str) -> dict[str, set[str]]:
    found = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        found[name] = set(sources)
    return found


def check_security_headers(response, where, https=False):
    headers = response.headers
    policy = directives(headers.get("Content-Security-Policy", ""))
    assert policy.get("frame-ancestors") == {"'none'"}, where
    assert policy.get("object-src") == {"'none'"} or policy.get("default-src") == {"'none'"}, where
    for kind in ("script-src", "style-src"):
        sources = policy.get(kind, policy.get("default-src", {"*"}))
        assert sources <= {"'self'", "'none'"}, (where, kind, sources)  # no 'unsafe-inline', no 'unsafe-eval'
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"), where
    assert ("Strict-Transport-Security" in headers) == https, where


def test_every_response_carries_the_security_headers(app, client, company):
    checked = 0
    for endpoint, method, url, _access in urls(app):  # signed out: pages, redirects to sign in
        check_security_headers(client.open(url, method=method), (endpoint, method))
        checked += 1
    for where in ("/static/intranet.css", "/static/htmx.min.js", "/no/such/page"):
        check_security_headers(client.get(where), where)
    client.post("/auth/login", data={"login": "hanmei", "password": "demo1234"})
    for endpoint, method, url, _access in urls(app):  # signed in as the administrator
        if method == "GET":
            check_security_headers(client.get(url), (endpoint, "signed in"))
            checked += 1
    check_security_headers(client.get("/"), "dashboard")
    assert checked > 100
    check_security_headers(client.get("/", base_url="https://localhost"), "over HTTPS", https=True)
    check_security_headers(client.get("/static/intranet.css", base_url="https://localhost"), "static", https=True)


#: What the policy blocks in markup: inline styles, inline scripts and handlers, htmx's hx-on.
BLOCKED_MARKUP = re.compile(r"""\sstyle\s*=|<style|<script(?![^>]*\ssrc=)|\shx-on|\son[a-z]+\s*=|javascript:""", re.I)


def test_templates_hold_nothing_the_content_security_policy_blocks():
    root = Path(__file__).resolve().parent.parent
    templates = [*root.glob("templates/**/*.html"), *root.glob("plugins/*/templates/**/*.html"),
                 *root.glob("tests/example_module/templates/**/*.html")]
    assert len(templates) > 30
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}" for path in templates
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if BLOCKED_MARKUP.search(line)]
    assert found == []
    config = re.search(r"name=\"htmx-config\" content='([^']*)'", (root / "templates/base.html").read_text())
    settings = json.loads(config.group(1))  # htmx would inject an inline style, or evaluate code
    assert settings["includeIndicatorStyles"] is False and settings["allowEval"] is False


WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def test_a_get_view_that_writes_is_marked_writes(app, client, auth, company):
    """A GET that writes (a print, an audited download) takes the write lock up front on SQLite
    only when its view says so: every other GET must write nothing."""
    from tests.conftest import file_order, each_statement

    auth.login("zhangwei")
    file_order(client, "只读检查", 800)
    client.post("/general/new", data={"title": "只读检查", "category": "办公用品", "amount": "10", "submit": "1"})
    auth.login("hanmei")
    unmarked = []
    for endpoint, method, url, _access in urls(app):
        view = app.view_functions[endpoint]
        if method != "GET" or getattr(view, "writes", False):
            continue
        statements = []
        with each_statement(app, lambda _cursor, statement: statements.append(statement)):
            client.get(url.replace("999999", "1"))
        writes = [s.split("(")[0][:60] for s in statements if WRITES.match(s)]
        if writes:
            unmarked.append((endpoint, writes))
    assert unmarked == []
