"""Notifications, e-mail and the reminder job."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from intranet import db, utcnow
from intranet.db import write_intent
from intranet.notify import Notification, notify
from intranet.notify.services import ScanContext, run_scanners
from tests.conftest import build_app, in_parallel
from tests.example_module.models import ExampleItem


def send(app, user_id, **kwargs):
    with app.app_context():
        notify(db.session, [user_id], "Example item %(title)s is due on %(due)s",
               params={"title": "报告", "due": "2026-11-30"}, url="/example/", **kwargs)
        db.session.commit()


def test_unread_count_shows_in_the_navigation_and_clears(app, client, auth, company):
    send(app, company["zhangwei"])
    send(app, company["zhangwei"])
    auth.login("zhangwei")
    assert '<span class="dot-count">2</span>' in client.get("/").get_data(as_text=True)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Example item 报告 is due on 2026-11-30" in page
    with app.app_context():
        first = db.session.scalar(select(Notification.id).order_by(Notification.id))
    response = client.post(f"/notifications/{first}/open")
    assert response.headers["Location"] == "/example/"
    assert '<span class="dot-count">1</span>' in client.get("/nav").get_data(as_text=True)
    client.post("/notifications/read-all")
    assert "dot-count" not in client.get("/nav").get_data(as_text=True)


def test_the_badge_counts_no_further_than_its_limit(app, client, auth, company):
    """Counting stops at the limit, so a long unread list costs every page no more."""
    from intranet import BADGE_LIMIT
    from intranet.notify import unread_count

    with app.app_context():
        for _ in range(BADGE_LIMIT + 1):
            notify(db.session, [company["zhangwei"]], "Example item %(title)s is due on %(due)s",
                   params={"title": "报告", "due": "2026-11-30"}, url="/example/")
        db.session.commit()
        assert unread_count(db.session, company["zhangwei"], BADGE_LIMIT) == BADGE_LIMIT
        assert unread_count(db.session, company["zhangwei"], 3) == 3
    auth.login("zhangwei")
    assert f'<span class="dot-count">{BADGE_LIMIT - 1}+</span>' in client.get("/").get_data(as_text=True)


def test_nobody_opens_someone_elses_notification(app, client, auth, company):
    send(app, company["zhangwei"])
    auth.login("lina")
    with app.app_context():
        note = db.session.scalar(select(Notification.id))
    assert client.post(f"/notifications/{note}/open").status_code == 404


def test_the_same_key_is_delivered_once(app, company):
    with app.app_context():
        for _ in range(3):
            notify(db.session, [company["zhangwei"], company["lina"]], "x", key="once")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 2


def test_one_statement_notifies_everyone_and_says_who_gets_an_email(app, company):
    from intranet.org import User
    from tests.test_queries import counted

    with app.app_context():
        db.session.get(User, company["lina"]).email = None
        db.session.commit()
        with counted(app) as statements:
            created = notify(db.session, [company["zhangwei"], company["lina"], company["chenhao"]], "x",
                             params={"n": 1})
        db.session.commit()
        rows = dict(db.session.execute(select(Notification.user_id, Notification.email_status)).all())
    assert created == 3 and len(statements) == 1, statements
    assert rows == {company["zhangwei"]: "pending", company["lina"]: "none", company["chenhao"]: "pending"}


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


def test_email_goes_out_in_the_readers_language(database_url, company, monkeypatch):
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    FakeSMTP.sent = []
    app = build_app(database_url, MAIL_SERVER="smtp.example.com")
    send(app, company["zhangwei"])
    result = app.test_cli_runner().invoke(args=["remind"])
    assert "e-mail: 1 sent, 0 failed" in result.output
    [message] = FakeSMTP.sent
    assert message["To"] == "zhangwei@example.com"
    assert "http://intranet.test/example/" in message.get_content()
    assert "e-mail: 0 sent" in app.test_cli_runner().invoke(args=["remind"]).output


def test_without_smtp_no_email_is_attempted(app, runner, company):
    send(app, company["zhangwei"])
    runner.invoke(args=["remind"])
    with app.app_context():
        assert db.session.scalar(select(Notification.email_status)) == "off"


def test_reminder_job_is_safe_when_several_servers_run_it_at_once(app, company):
    with app.app_context():
        for n in range(5):
            db.session.add(ExampleItem(title=f"事项{n}", owner_id=company["zhangwei"],
                                       due_on=date.today() + timedelta(days=1)))
        db.session.commit()
    errors = []

    def server(_n):
        write_intent.set(True)
        try:
            with app.test_request_context():
                from flask import url_for

                from intranet.web import calendar, enabled_hooks, settings

                scanners = [s for group in enabled_hooks().intranet_reminder_scanners() for s in group]
                context = ScanContext(session=db.session, now=utcnow(),
                                      settings=settings(), calendar=calendar(), url_for=url_for)
                report = run_scanners(db.session, scanners, context)
                errors.extend(report.failed_scanners)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    in_parallel(server, range(3))
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 5
