"""Malformed input of every kind to every form: a clear refusal, never a 500."""
from __future__ import annotations

import io
import re

import pytest

from tests.test_routes import UNSAFE, urls

HUGE = "长" * 20_000
NASTY = ["", HUGE, "<script>alert(1)</script>", "'; DROP TABLE core_user; --", "-1", "1e309", "NaN",
         "0x10", "\x00", "../../etc/passwd", "None", "[]", "{'a': 1}", "  ", "٣", "2026-02-30"]


def field_names(client, url):
    page = client.get(url).get_data(as_text=True)
    return sorted(set(re.findall(r'name="([^"]+)"', page)) - {"csrf_token", "q"})


def post_targets(app):
    """Every state-changing rule, with an existing id where the rule takes one."""
    for endpoint, method, url, access in urls(app):
        if method in UNSAFE and endpoint not in ("auth.logout", "auth.login"):
            yield endpoint, method, url.replace("999999", "1")


@pytest.mark.parametrize("value", NASTY, ids=range(len(NASTY)))
def test_every_form_survives_nasty_values(app, client, auth, company, value):
    auth.login("hanmei")
    for endpoint, method, url in post_targets(app):
        names = field_names(client, url) or ["name", "file", "enabled", "language"]
        response = client.open(url, method=method, data={name: value for name in names})
        assert response.status_code < 500, (endpoint, url, value[:20])


def test_wrong_types_and_missing_fields_give_422(client, auth, company):
    auth.login("hanmei")
    for url in ("/org/admin/users/new", "/org/admin/departments/new", "/org/admin/positions",
                "/admin/calendar", "/auth/password", "/admin/roles"):
        response = client.post(url, data={"sort_order": "abc", "day": "yesterday", "department_id": "x",
                                          "left_on": "never"})
        assert response.status_code == 422, url


def test_invalid_utf8_in_form_values_and_uploads(client, auth, company):
    auth.login("hanmei")
    raw = b"\xff\xfe\xfa invalid"
    response = client.post("/org/admin/users/new", data={"name": raw, "username": raw, "employee_no": raw},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    for kind in ("users", "departments"):
        response = client.post(f"/org/admin/import/{kind}", data={"file": (io.BytesIO(raw), "x.csv")},
                               content_type="multipart/form-data")
        assert response.status_code == 422
        assert "not UTF-8" in response.get_data(as_text=True)


def test_login_survives_nasty_values(client, company):
    for value in NASTY:
        response = client.post("/auth/login", data={"login": value, "password": value})
        assert response.status_code == 422


def test_query_strings_never_break_lists(client, auth, company):
    auth.login("hanmei")
    for url in ("/org/people", "/org/admin/users", "/audit/", "/notifications/", "/search", "/admin/calendar",
                "/org/admin/positions", "/admin/settings"):
        for value in NASTY[1:5] + ["-5", "99999999999999999999"]:
            response = client.get(url, query_string={"q": value, "page": value, "per_page": value,
                                                     "department": value, "year": value, "from": value,
                                                     "status": value, "module": value, "role": value})
            assert response.status_code < 500, (url, value[:20])


def test_ids_beyond_the_database_range_are_not_found(client, auth, company):
    auth.login("hanmei")
    assert client.get("/org/people/99999999999999999999").status_code == 404
    assert client.get("/org/admin/users/2147483648/edit").status_code == 404
