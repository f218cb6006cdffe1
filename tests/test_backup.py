"""Whole-database backup and restore round-trips on SQLite and PostgreSQL; a damaged
backup is refused with a clear message and the live database stays as it was."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import func, select

from intranet import db
from intranet.audit import AuditEntry, verify
from intranet.org import Department, User
from intranet.settings import SettingValue


def snapshot(app):
    with app.app_context():
        return {
            "users": db.session.execute(select(User.username, User.name, User.phone).order_by(User.id)).all(),
            "departments": db.session.execute(select(Department.code, Department.head_id)
                                              .order_by(Department.id)).all(),
            "audit": db.session.scalar(select(func.count()).select_from(AuditEntry)),
        }


def test_backup_and_restore_round_trip(app, runner, company, tmp_path):
    with app.app_context():
        db.session.get(User, company["zhangwei"]).phone = "before-backup"
        db.session.commit()
    target = tmp_path / "intranet.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    saved = snapshot(app)

    with app.app_context():  # life goes on after the backup
        db.session.get(User, company["zhangwei"]).phone = "after-backup"
        db.session.add(Department(name="新部门", code="NEW"))
        db.session.delete(db.session.get(User, company["hanmei"]))
        db.session.commit()
    assert snapshot(app) != saved

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    restored = snapshot(app)
    assert restored["users"] == saved["users"] and restored["departments"] == saved["departments"]
    assert restored["audit"] == saved["audit"] + 1  # the restore itself is audited
    with app.app_context():
        assert verify(db.session) is None


def in_english(app):
    with app.app_context():
        db.session.add(SettingValue(key="core.default_language", value="en"))
        db.session.commit()


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, company, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"definitely not a database")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "不是" in result.output and "备份" in result.output  # the company's language: 中文 by default
    in_english(app)
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "is not a" in result.output and "backup" in result.output


def sqlite_backup(runner, tmp_path):
    target = tmp_path / "intranet.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    return target


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def truncate_at_a_page(path):
    """Cut at a page boundary and fix nothing else: only the page count in the header tells."""
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    path.write_bytes(data[:page_size * (len(data) // page_size // 2)])


def corrupt_pages(path):
    """Overwrite the pages of the user table (same size, valid header) with garbage."""
    with closing(sqlite3.connect(path)) as connection:
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'core_user'").fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d\xff\xfe garbage " * (page_size // 12))


def foreign_schema(path):
    path.unlink()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        connection.commit()


@pytest.mark.parametrize("damage, message", [
    (truncate, "is cut off"), (truncate_at_a_page, "is cut off"), (corrupt_pages, "is damaged"),
    (foreign_schema, "is not a backup of this intranet: it has no core_user"),
])
def test_a_damaged_sqlite_backup_leaves_the_live_database_untouched(app, backend, runner, company, tmp_path,
                                                                     damage, message):
    if backend != "sqlite":
        pytest.skip("pg_restore --single-transaction keeps PostgreSQL as it was on any failure")
    in_english(app)
    target = sqlite_backup(runner, tmp_path)
    damage(target)
    with app.app_context():
        db.session.get(User, company["zhangwei"]).phone = "after-backup"
        db.session.commit()
    before = snapshot(app)
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 1 and message in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # a message, never a traceback
    assert "Traceback" not in result.output
    assert snapshot(app) == before
    with app.app_context():
        assert db.session.get(User, company["zhangwei"]).phone == "after-backup"
        assert verify(db.session) is None
        assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
    assert not list(tmp_path.glob(".restore-*")) and not list(target.parent.parent.glob("**/.restore-*"))


def test_restore_asks_before_replacing_everything(runner, company, tmp_path):
    target = tmp_path / "b.backup"
    runner.invoke(args=["backup", str(target)])
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
