"""Fixtures in the style of Flask's tutorial: app, client, runner and auth.

Every test that uses ``app`` runs twice: on SQLite and on PostgreSQL
(``TEST_DATABASE_URL``, set by .ci/run). The schema is built once per worker;
each test gets a fresh copy (SQLite) or freshly emptied tables (PostgreSQL).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from intranet import create_app, db, utcnow
from intranet.admin.setup import install
from intranet.approvals import ApprovalRequest, engine_for
from intranet.documents import DocumentService
from intranet.org import User
from intranet.config import normalise_database_url
from intranet.org.demo import DEMO_PASSWORD, create_demo_company
from tests.example_module.models import ExampleOrder, ExampleOrderLine

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
PG_MISSING = "TEST_DATABASE_URL is not set: the PostgreSQL run needs a server (.ci/run sets it)"


def make_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "AUDIT_KEY": "test-audit-key",
        # Each app its own anchor file: apps share neither the checkout's instance folder nor a database.
        "AUDIT_ANCHOR_FILE": str(Path(tempfile.mkdtemp(prefix="intranet-anchor-")) / "audit_anchor.json"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PLUGINS_EXTRA": ["tests.example_module"],
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_URL": "http://intranet.test",
    }
    config.update(overrides)
    return config


class EnglishBrowser(FlaskClient):
    """A test client that asks for English, as a browser set to English would."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def build_app(database_url: str, **overrides):
    app = create_app(make_config(database_url, **overrides))
    app.test_client_class = EnglishBrowser
    with app.app_context():
        install(db.session, app.extensions["intranet"])
        db.session.commit()
    return app


def _create_schema(url: str) -> None:
    app = create_app(make_config(url))
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "template.db"
    _create_schema(f"sqlite:///{path}")
    return path


@contextmanager
def empty_postgres_database(prefix: str):
    """A new, empty database of this xdist worker's own on the test server, dropped afterwards."""
    if not TEST_DATABASE_URL:
        pytest.skip(PG_MISSING)
    server = make_url(normalise_database_url(TEST_DATABASE_URL))
    # Two checkouts (CI and a developer's work tree) may test against one server at once.
    checkout = hashlib.sha1(str(Path(__file__).resolve().parent).encode()).hexdigest()[:8]
    name = f"{prefix}_{checkout}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    with empty_postgres_database("intranet_test") as url:
        _create_schema(url)
        yield url


def in_parallel(target, arguments) -> None:
    """Run ``target(argument)`` in one thread per argument, all at once, and wait."""
    import threading

    threads = [threading.Thread(target=target, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@contextmanager
def each_statement(app, record):
    """Call ``record(cursor, statement)`` for every statement the app sends to its database."""
    def listener(_conn, cursor, statement, *_args):
        record(cursor, statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template):
    if request.param == "sqlite":
        target = tmp_path / "test.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def backend(database_url) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


@pytest.fixture
def app(database_url):
    app = build_app(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class People:
    """The demo company's people by user name -> id."""

    ids: dict[str, int]

    def __getitem__(self, username: str) -> int:
        return self.ids[username]


@pytest.fixture
def company(app) -> People:
    with app.app_context():
        demo = create_demo_company(db.session, hash_method=app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        return People({username: user.id for username, user in demo.users.items()})


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str = "hanmei", password: str = DEMO_PASSWORD):
        self._client.post("/auth/logout")  # switching people within one test
        return self._client.post("/auth/login", data={"login": username, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


class Desk:
    """Filing and deciding the example module's orders directly through the module kit
    and the approval engine (the core is tested through tests/example_module)."""

    def __init__(self, app, company: People):
        self.app, self.company = app, company
        self.state = app.extensions["intranet"]
        self.now = utcnow()

    def engine(self, enabled=None):
        engine = engine_for(db.session, self.state, enabled=self.state.registry.modules if enabled is None else enabled)
        engine.now = self.now
        return engine

    def documents(self, enabled=None) -> DocumentService:
        engine = self.engine(enabled)
        return DocumentService(db.session, types=self.state.document_types, engine=engine, settings=engine.settings,
                               now=self.now)

    def later(self, **delta):
        self.now += timedelta(**delta)

    def draft(self, username: str, amount, title: str = "测试申请", category: str = "办公用品"):
        """An example order of one line worth ``amount``."""
        order = ExampleOrder(title=title, category=category, amount=Decimal(str(amount)),
                             lines=[ExampleOrderLine(position=0, item="服务器", quantity=Decimal(1),
                                                     unit_price=Decimal(str(amount)))])
        return self.documents().create(order, db.session.get(User, self.company[username]))

    def change(self, order, username: str, *, amount=None, title: str | None = None):
        """Edit an order as its requester may (refused once it is read-only)."""
        self.documents().check_editable(order, self.company[username])
        if title is not None:
            order.title = title
        if amount is not None:
            order.amount = order.lines[0].unit_price = Decimal(str(amount))
        db.session.flush()

    def send(self, order, username: str):
        """Submit, or resubmit after a return."""
        approval = self.documents().submit(order, self.company[username])
        db.session.commit()
        db.session.expire_all()
        return approval

    def submit(self, username: str, amount, **kwargs) -> tuple:
        order = self.draft(username, amount, **kwargs)
        self.documents().submit(order, self.company[username])
        db.session.commit()
        return order, self.approval(order)

    def approval(self, order) -> ApprovalRequest:
        return self.engine().latest_request("example.order", order.id)

    def waiting_for(self, approval) -> set[str]:
        by_id = {v: k for k, v in self.company.ids.items()}
        return {by_id[t.assignee_id] for s in approval.steps if s.round == approval.round
                for t in s.tasks if t.status == "pending"}

    def act(self, action: str, approval, username: str, **kwargs):
        result = getattr(self.engine(), action)(approval.id, self.company[username], **kwargs)
        db.session.commit()
        db.session.expire_all()
        return result


@pytest.fixture
def desk(app, company):
    with app.app_context():
        yield Desk(app, company)
        db.session.rollback()


def file_order(client, title: str = "研发服务器", amount="6000", *, submit: bool = True, **fields) -> int:
    """File an example order through its form, as in the browser; returns its id."""
    data = {"title": title, "category": "办公用品", "lines-0-item": "服务器", "lines-0-quantity": "1",
            "lines-0-unit_price": str(amount), **fields}
    if submit:
        data["submit"] = "1"
    response = client.post("/example/orders/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])
