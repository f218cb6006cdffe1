"""Database foundations shared by the core and every plugin.

Plugins import ``db``, ``Model`` and the column types from here (re-exported by
``intranet``), so every table uses the same conventions: UTC timestamps, Decimal
money, JSON that is JSONB on PostgreSQL, and constraint names Alembic can diff.
"""
from __future__ import annotations

import contextvars
import re
from datetime import datetime, timezone
from decimal import Decimal

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, MetaData, Numeric, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones, so values are stored naive-in-UTC there and
    tagged on the way out; PostgreSQL keeps ``timestamptz``.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(DateTime(timezone=dialect.name == "postgresql"))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes only")
        value = value.astimezone(timezone.utc)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


#: Money: two decimals, enough digits for a company's yearly budget.
Money = Numeric(16, 2, asdecimal=True)
JSONData = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), Decimal: Money, dict: JSONData, list: JSONData},
    )

    #: Set to False on tables whose rows are not business state (the audit
    #: log itself, caches, notifications); their changes are not audited.
    __audit__ = True
    #: Columns whose values never go into the audit log (only "changed").
    __audit_redact__: tuple[str, ...] = ()
    #: Columns left out of the audit log entirely (bulky binary data).
    __audit_skip__: tuple[str, ...] = ()
    #: What a row of this table is called where people read it (the audit log): a lazy
    #: translation such as ``_l("General request")``; without one the table's name is shown.
    __label__ = None
    #: Names of columns for which intranet.audit.labels.COLUMNS has none or a wrong one.
    __labels__: dict = {}


db = SQLAlchemy(model_class=Base)
#: The base class of every table, core and plugin alike.
Model = db.Model


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def read_scalar(session, statement, params: dict | None = None):
    """One value from a Core statement, run on the session's connection.

    For the reads every page makes (counts, the runtime generation): the ORM's
    execution layer builds nothing for them yet costs more than the query. Unlike
    ``session.scalar`` it does not flush pending changes first.
    """
    return session.connection().execute(statement, params or {}).scalar()


# --- SQLite transactions -----------------------------------------------------
# pysqlite opens transactions lazily and cannot upgrade a stale read snapshot to
# a write (SQLITE_BUSY_SNAPSHOT). A unit of work that will write therefore
# starts with BEGIN IMMEDIATE, which waits for the write lock instead of failing
# half-way. The web layer marks state-changing requests; CLI commands that write
# mark themselves.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "intranet_write_intent", default=False
)


def configure_engine(engine: Engine) -> None:
    """Attach the per-dialect connection settings to an engine (idempotent)."""
    if engine.dialect.name == "postgresql" and not event.contains(engine, "before_cursor_execute", _begin_to_write):
        event.listen(engine, "before_cursor_execute", _begin_to_write)
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _sqlite_connect):
        return
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection, _record):
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection):
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


# --- PostgreSQL reads --------------------------------------------------------
# Under READ COMMITTED each statement reads its own snapshot, so a unit of work
# that only reads gains nothing from a transaction, yet its BEGIN and ROLLBACK
# are two more round trips the server works for: on a page that runs three
# short queries, a third of the database's work. Such units run in autocommit;
# the first statement that is not a plain SELECT (a write, a savepoint, a row
# or advisory lock, which would end with its statement) opens a real transaction
# first, so nothing is ever half-written and every lock is held to the commit.
_READS_FIRST = {"isolation_level": "AUTOCOMMIT", "intranet_reads_first": True}
_LOCK = re.compile(r"\sFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|\bpg_(try_)?advisory", re.IGNORECASE)


def read_without_transaction(session) -> None:
    """Let this unit of work read outside a transaction until it first writes.

    Call it before the session's first statement (the web layer does, for requests
    that do not mean to write). Only PostgreSQL is affected; SQLite has its own
    transaction rules above.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options=_READS_FIRST)


def _begin_to_write(connection, cursor, statement, _parameters, _context, _executemany):
    dbapi_connection = cursor.connection
    if (dbapi_connection.autocommit and connection.get_execution_options().get("intranet_reads_first")
            and not _plain_read(statement)):
        # Allowed between statements: in autocommit no transaction is ever open there.
        # SQLAlchemy puts autocommit back when the connection returns to the pool.
        dbapi_connection.autocommit = False


def _plain_read(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT" and _LOCK.search(statement) is None


# --- searching ---------------------------------------------------------------
def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's own characters escaped, so "50%" finds "50%", not "50"."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column, text: str):
    """A case-insensitive "contains" condition on ``column``, the one way lists search."""
    return column.ilike(like_pattern(text), escape="\\")
