"""Sign-in, lockout, rate limit, password change and reset."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from intranet import db
from intranet.audit import AuditEntry
from intranet.auth import services
from intranet.org import User
from intranet.web import safe_next
from tests.conftest import build_app, in_parallel


def audit_actions(app, entity_id=None):
    with app.app_context():
        query = select(AuditEntry.action, AuditEntry.changes).order_by(AuditEntry.id)
        if entity_id is not None:
            query = query.where(AuditEntry.entity_id == str(entity_id))
        return db.session.execute(query).all()


def test_sign_in_by_user_name_number_or_email(client, auth, company):
    for login in ("zhangwei", "E0302", "ZhangWei@Example.com"):
        response = auth.login(login)
        assert response.status_code == 302 and response.headers["Location"] == "/", login


def test_sign_in_failure_is_refused_with_one_message_and_audited(app, client, company):
    for login in ("zhangwei", "nosuchuser"):
        response = client.post("/auth/login", data={"login": login, "password": "wrong-pass1"})
        assert response.status_code == 422
        assert "Wrong user name or password." in response.get_data(as_text=True)
    failures = [changes for action, changes in audit_actions(app) if action == "login_failed"]
    assert [f["reason"] for f in failures] == ["wrong password", "unknown user"]


def test_sign_in_and_sign_out_are_audited(app, client, auth, company):
    auth.login("zhangwei")
    client.post("/auth/logout")
    actions = [a for a, _ in audit_actions(app, company["zhangwei"]) if a in ("login", "logout")]
    assert actions == ["login", "logout"]


def test_cookies_replayed_after_sign_out_lead_to_sign_in(app, client, company):
    client.post("/auth/login", data={"login": "zhangwei", "password": "demo1234", "remember": "y"})
    session_cookie = client.get_cookie("intranet_session").value
    remember_cookie = client.get_cookie("remember_token").value

    def replay(name, value):
        thief = app.test_client()
        thief.set_cookie(name, value)
        return thief.get("/")

    assert replay("intranet_session", session_cookie).status_code == 200  # each one alone opens pages
    assert replay("remember_token", remember_cookie).status_code == 200
    client.post("/auth/logout")
    for name, value in (("intranet_session", session_cookie), ("remember_token", remember_cookie)):
        response = replay(name, value)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), name
    assert client.post("/auth/login", data={"login": "zhangwei", "password": "demo1234"}).status_code == 302


def remember_cookie_header(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))


def test_the_remember_cookie_is_secure_with_the_session_and_lasts_the_set_days(database_url, company):
    def expires_in_days(header) -> float:
        expires = next(p.split("=", 1)[1] for p in header.split("; ") if p.startswith("Expires="))
        return (parsedate_to_datetime(expires) - datetime.now(timezone.utc)) / timedelta(days=1)

    app = build_app(database_url)
    client = app.test_client()
    header = remember_cookie_header(client.post("/auth/login", data={
        "login": "hanmei", "password": "demo1234", "remember": "y"}))
    assert "Secure" not in header and 13.9 < expires_in_days(header) <= 14
    client.post("/admin/settings", data={"core.remember_days": "3"})
    client.post("/auth/logout")
    header = remember_cookie_header(client.post("/auth/login", data={
        "login": "hanmei", "password": "demo1234", "remember": "y"}))
    assert 2.9 < expires_in_days(header) <= 3

    secure = build_app(database_url, SESSION_COOKIE_SECURE=True).test_client()
    response = secure.post("/auth/login", data={"login": "hanmei", "password": "demo1234", "remember": "y"},
                           base_url="https://localhost")
    assert "; Secure" in remember_cookie_header(response)


def test_repeated_failures_lock_the_account(app, client, auth, company):
    for _ in range(5):
        client.post("/auth/login", data={"login": "zhangwei", "password": "wrong-pass1"})
    response = auth.login("zhangwei")  # the right password, but locked now
    assert response.status_code == 422
    assert "Too many failed attempts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, company["zhangwei"]).locked_until is not None


def test_parallel_wrong_passwords_check_at_most_the_limit_before_the_lock(app, company, monkeypatch):
    """Twelve attempts at the same moment (as from several workers): five are checked, then it locks."""
    checked = []
    real_check = services.check_password_hash

    def slow_check(pwhash, password):
        checked.append(password)  # list.append is atomic
        time.sleep(0.05)  # as long as a real scrypt check, so the attempts overlap
        return real_check(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", slow_check)
    barrier = threading.Barrier(12, timeout=30)
    statuses = []

    def attempt(number):
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/auth/login", data={"login": "zhangwei",
                                                         "password": f"wrong-pass{number}"}).status_code)

    in_parallel(attempt, range(12))
    assert statuses == [422] * 12
    assert len(checked) <= 5, f"{len(checked)} passwords checked before the lock"
    response = app.test_client().post("/auth/login", data={"login": "zhangwei", "password": "demo1234"})
    assert response.status_code == 422 and "Too many failed attempts" in response.get_data(as_text=True)
    assert len(checked) <= 5  # the right password was not even checked
    failures = [changes for action, changes in audit_actions(app, company["zhangwei"]) if action == "login_failed"]
    assert len(failures) == 13


def test_lockout_threshold_is_a_setting(app, client, auth, company):
    auth.login("hanmei")
    client.post("/admin/settings", data={"core.login_max_failures": "2"})
    auth.logout()
    for _ in range(2):
        client.post("/auth/login", data={"login": "zhangwei", "password": "wrong-pass1"})
    assert "Too many failed attempts" in auth.login("zhangwei").get_data(as_text=True)


def test_people_who_left_cannot_sign_in(app, auth, company):
    with app.app_context():
        db.session.get(User, company["lina"]).active = False
        db.session.commit()
    assert auth.login("lina").status_code == 422


def test_rate_limit_on_sign_in(database_url, company):
    app = build_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.post("/auth/login", data={"login": "x", "password": "y"}).status_code
                for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert "Too many attempts" in client.post("/auth/login", data={"login": "x", "password": "y"}).get_data(
        as_text=True)


def test_redirect_after_sign_in_stays_on_this_site(client, company):
    data = {"login": "zhangwei", "password": "demo1234"}
    assert client.post("/auth/login?next=/org/people", data=data).headers["Location"] == "/org/people"
    client.post("/auth/logout")
    assert client.post("/auth/login?next=https://evil.example/", data=data).headers["Location"] == "/"
    client.post("/auth/logout")
    assert client.post("/auth/login?next=//evil.example/", data=data).headers["Location"] == "/"


def test_safe_next_keeps_paths_on_this_site_and_refuses_every_way_out():
    for target in ("/org/people", "/approvals/?tab=done&q=%E5%BC%A0", "/general/12#trail"):
        assert safe_next(target, "/fallback") == target
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/\\/evil.example",
                   "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\x00/evil.example",
                   "/\x7f/evil.example", "javascript:alert(1)", "evil.example", "", None, "http:/evil.example",
                   " //evil.example"):
        assert safe_next(target, "/fallback") == "/fallback", repr(target)


def test_password_change_checks_rules_and_ends_other_sessions(app, client, auth, company):
    other = app.test_client()
    other.post("/auth/login", data={"login": "zhangwei", "password": "demo1234"})
    auth.login("zhangwei")
    for data, message in (
        ({"current_password": "wrong", "new_password": "n3wpassword", "confirm": "n3wpassword"},
         "The current password is wrong."),
        ({"current_password": "demo1234", "new_password": "short1", "confirm": "short1"}, "at least 8"),
        ({"current_password": "demo1234", "new_password": "onlyletters", "confirm": "onlyletters"}, "Mix letters"),
        ({"current_password": "demo1234", "new_password": "n3wpassword", "confirm": "other"}, "differ"),
    ):
        response = client.post("/auth/password", data=data)
        assert response.status_code == 422 and message in response.get_data(as_text=True), message
    response = client.post("/auth/password", data={"current_password": "demo1234", "new_password": "n3wpassword",
                                                   "confirm": "n3wpassword"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    assert other.get("/").status_code == 302  # the other one ended
    auth.logout()
    assert auth.login("zhangwei", "n3wpassword").status_code == 302


def test_admin_reset_forces_a_new_password(app, client, auth, company):
    auth.login("tangjie")  # IT administrator
    page = client.post(f"/org/admin/users/{company['zhangwei']}/reset-password").get_data(as_text=True)
    temporary = page.split("<code>")[1].split("</code>")[0]
    auth.logout()
    assert auth.login("zhangwei", "demo1234").status_code == 422
    assert auth.login("zhangwei", temporary).status_code == 302
    assert client.get("/org/people").headers["Location"] == "/auth/password"
    client.post("/auth/password", data={"current_password": temporary, "new_password": "fresh2026x",
                                        "confirm": "fresh2026x"})
    assert client.get("/org/people").status_code == 200
    assert ("password_reset", {}) in audit_actions(app, company["zhangwei"])


def test_password_hashes_are_salted(app, company):
    with app.app_context():
        from intranet.auth.services import PasswordRules, set_password

        first, second = db.session.get(User, company["lina"]), db.session.get(User, company["hejing"])
        rules = PasswordRules(min_length=8, hash_method="pbkdf2:sha256:1000")
        set_password(first, "same-pass1", rules)
        set_password(second, "same-pass1", rules)
        assert first.password_hash != second.password_hash
        assert "same-pass1" not in first.password_hash


def test_rate_limit_counters_live_in_redis_when_configured(database_url, company):
    """Counted in Redis, the limit holds across every worker and server that share it."""
    import random

    import redis

    # The limiter keeps the key prefix of the first app a process builds, so the
    # counters are found by a client address used by no other test.
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    app = build_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                    RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    client = app.test_client()
    statuses = [client.post("/auth/login", data={"login": "x", "password": "y"},
                            environ_base={"REMOTE_ADDR": address}).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    keys = server.keys(f"*/{address}/*")
    assert keys, "the counters are not in Redis"
    server.delete(*keys)


def test_the_lockout_message_gives_the_date_and_time_in_the_company_time_zone(app, client, auth, company):
    from datetime import timezone
    from zoneinfo import ZoneInfo

    for _ in range(5):
        client.post("/auth/login", data={"login": "zhangwei", "password": "wrong-pass1"})
    page = auth.login("zhangwei").get_data(as_text=True)
    with app.app_context():
        until = db.session.get(User, company["zhangwei"]).locked_until
    local = until.replace(tzinfo=until.tzinfo or timezone.utc).astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"Try again after {local:%Y-%m-%d %H:%M}." in page
