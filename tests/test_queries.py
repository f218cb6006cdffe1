"""A page runs a fixed number of SQL queries, whatever the amount of data."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from intranet import audit, db
from intranet.notify import notify
from intranet.org import User
from tests.conftest import each_statement
from tests.example_module.models import ExampleItem


@contextmanager
def counted(app):
    statements = []

    def count(_cursor, statement):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    with each_statement(app, count):
        yield statements


def grow(app, company, n):
    """Add people, items, notifications and audit entries."""
    with app.app_context():
        for i in range(n):
            user = User(username=f"extra{i}", employee_no=f"X{i:04d}", name=f"员工{i}",
                        department_id=db.session.get(User, company["zhangwei"]).department_id)
            db.session.add(user)
            db.session.add(ExampleItem(title=f"事项{i}", owner_id=company["zhangwei"], due_on=date.today()))
            audit.record(db.session, "ping", details={"i": i})
        db.session.flush()
        notify(db.session, [company["zhangwei"]] * 1 + [company["hanmei"]], "x")
        db.session.commit()


PAGES = ["/", "/widgets/core.approvals", "/widgets/core.my_requests", "/widgets/general.mine", "/org/people",
         "/org/admin/users", "/audit/", "/notifications/", "/admin/modules", "/org/departments", "/search?q=员工", "/nav"]


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_data(app, client, auth, company, url):
    auth.login("hanmei")
    client.get(url)  # warm the per-process caches
    with counted(app) as small:
        assert client.get(url).status_code == 200
    grow(app, company, 60)
    with counted(app) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), url
    # The search asks every module that answers it: one query each on top of the page's own.
    searchers = len(app.extensions["intranet"].registry.pm.hook.intranet_search.get_hookimpls())
    assert len(small) <= (4 + searchers if url.startswith("/search") else 12), small


@pytest.mark.parametrize("url", ["/", "/general/"])
def test_a_signed_in_page_reads_the_runtime_generation_once(app, client, auth, company, url):
    """The user's row carries the generation: no round trip of its own, on core and module pages alike."""
    auth.login("zhangwei")
    client.get(url)
    with counted(app) as statements:
        assert client.get(url).status_code == 200
    reads = [statement for statement in statements if "core_generation" in statement]
    assert len(reads) == 1 and "session_token" in reads[0], statements


def test_the_signed_in_user_is_read_by_a_statement_that_needs_no_rewriting(app):
    """Literal-execute parameters make SQLAlchemy rewrite the SQL string on every run;
    this statement runs on every signed-in request."""
    from intranet.app import _signed_in_user

    with app.app_context():
        compiled = _signed_in_user().compile(dialect=db.engine.dialect)
    assert not compiled.literal_execute_params and not compiled.post_compile_params


def test_every_menu_badge_is_counted_in_one_statement(app, client, auth, company):
    """Approvals, notifications and the example module each give a badge; the page
    counts them together, so more modules do not mean more round trips."""
    auth.login("zhangwei")
    client.get("/")
    with counted(app) as statements:
        assert client.get("/").status_code == 200
    counts = [statement for statement in statements if "count(" in statement]
    assert len(counts) == 1, counts
    assert all(table in counts[0] for table in ("core_approval_task", "core_notification", "example_item"))
