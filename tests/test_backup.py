"""Whole-database backup and restore round-trips on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func, select

from intranet import db
from intranet.audit import AuditEntry, verify_chain
from intranet.org import Department, User


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
        assert verify_chain(db.session) is None


def test_restore_refuses_a_file_that_is_not_a_backup(runner, company, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"definitely not a database")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "is not a" in result.output and "backup" in result.output


def test_restore_asks_before_replacing_everything(runner, company, tmp_path):
    target = tmp_path / "b.backup"
    runner.invoke(args=["backup", str(target)])
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
