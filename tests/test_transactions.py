"""On PostgreSQL a request that only reads runs outside a transaction, and the
first write in any unit of work still gets one (see intranet.db)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import select

from intranet import audit, db
from intranet.db import read_without_transaction
from intranet.org import Department, User
from tests.conftest import each_statement

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@contextmanager
def autocommit_per_statement(app):
    """(first word, whether it ran in autocommit) for each statement sent."""
    seen = []
    with each_statement(app, lambda cursor, statement: seen.append((statement.split(None, 1)[0],
                                                                    cursor.connection.autocommit))):
        yield seen


def server_status():
    return db.session.connection().connection.dbapi_connection.info.transaction_status


def test_a_page_that_only_reads_sends_no_begin_or_rollback(app, client, auth, company):
    auth.login("chenhao")
    with autocommit_per_statement(app) as seen:
        assert client.get("/").status_code == 200
    assert seen and all(autocommit for _, autocommit in seen), seen


def test_a_request_that_writes_runs_in_one_transaction(app, client, auth, company):
    auth.login("chenhao")
    with autocommit_per_statement(app) as seen:
        assert client.post("/language", data={"language": "en", "next": "/"}).status_code == 302
    assert any(head == "UPDATE" for head, _ in seen), seen
    assert not any(autocommit for _, autocommit in seen), seen


def test_the_first_write_of_a_reading_unit_opens_a_transaction(app, company):
    with app.app_context():
        read_without_transaction(db.session)
        db.session.scalar(select(User.name).where(User.id == company["zhangwei"]))
        assert server_status() == TransactionStatus.IDLE
        db.session.add(Department(name="临时部", code="TMP"))
        db.session.flush()
        assert server_status() == TransactionStatus.INTRANS
        db.session.rollback()
        assert db.session.scalar(select(Department.id).where(Department.name == "临时部")) is None


def test_a_row_lock_opens_a_transaction_that_holds_it(app, company):
    with app.app_context():
        read_without_transaction(db.session)
        db.session.scalar(select(User).where(User.id == company["zhangwei"]).with_for_update())
        assert server_status() == TransactionStatus.INTRANS


def test_the_connection_goes_back_to_the_pool_with_transactions_on(app, company):
    with app.app_context():
        read_without_transaction(db.session)
        used = db.session.connection().connection.dbapi_connection
        assert used.autocommit is True
        db.session.remove()
        again = db.session.connection().connection.dbapi_connection
        assert again is used and again.autocommit is False


def test_an_audit_event_in_a_reading_unit_holds_the_chain_lock_to_the_commit(app, company):
    """The chain's advisory lock would end with its own statement in autocommit."""
    with app.app_context():
        read_without_transaction(db.session)
        db.session.scalar(select(User.name).where(User.id == company["zhangwei"]))
        audit.record(db.session, "export", entity="core_user", details={"rows": 1})
        with autocommit_per_statement(app) as seen:
            db.session.commit()
    assert ("SELECT", False) in seen and not any(autocommit for _, autocommit in seen), seen
