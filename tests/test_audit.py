"""The audit log: captured centrally, chained by hash, verifiable, searchable."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from intranet import audit, db
from intranet.db import write_intent
from intranet.audit import AuditAnchor, AuditEntry
from intranet.audit.capture import unkeyed_hash
from intranet.org import Department, User
from intranet.settings import SettingValue
from tests.conftest import in_parallel


def entries(app, **where):
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        for column, value in where.items():
            query = query.where(getattr(AuditEntry, column) == value)
        return db.session.scalars(query).all()


def test_model_changes_are_captured_with_before_and_after(app, company):
    with app.app_context(), audit.acting_as(audit.Actor(company["hanmei"], "韩梅", "10.0.0.8")):
        user = db.session.get(User, company["zhangwei"])
        user.phone = "13912345678"
        user.password_hash = "secret-hash"
        db.session.commit()
    entry = entries(app, entity="core_user", entity_id=str(company["zhangwei"]), action="update")[-1]
    assert entry.changes["phone"] == ["13800000302", "13912345678"]
    assert entry.changes["password_hash"] == "***"  # redacted, never stored
    assert (entry.actor_id, entry.actor_name, entry.ip, entry.module) == (company["hanmei"], "韩梅", "10.0.0.8",
                                                                          "core")


def test_created_deleted_and_role_changes_are_captured(app, company):
    with app.app_context():
        from intranet.org import Role

        department = Department(name="临时组", code="TMP")
        db.session.add(department)
        db.session.commit()
        department_id = department.id
        db.session.delete(department)
        user = db.session.get(User, company["lina"])
        user.roles.append(db.session.get(Role, "legal"))
        db.session.commit()
    actions = [(e.action, e.changes.get("code")) for e in entries(app, entity="core_department",
                                                                    entity_id=str(department_id))]
    assert actions == [("create", "TMP"), ("delete", "TMP")]
    role_change = entries(app, entity="core_user", entity_id=str(company["lina"]), action="update")[-1]
    assert role_change.changes["roles"] == {"added": ["legal"], "removed": []}


def test_module_tables_are_attributed_to_their_module(app, company):
    with app.app_context():
        from tests.example_module.models import ExampleItem
        from datetime import date

        db.session.add(ExampleItem(title="x", owner_id=company["lina"], due_on=date.today()))
        db.session.commit()
    assert entries(app, entity="example_item")[0].module == "example"


def test_a_rolled_back_change_leaves_no_entry(app, company):
    before = len(entries(app))
    with app.app_context():
        db.session.get(User, company["lina"]).phone = "1"
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert len(entries(app)) == before


@pytest.fixture
def english(app):
    """CLI messages are in the company's default language (中文 unless set)."""
    with app.app_context():
        db.session.add(SettingValue(key="core.default_language", value="en"))
        db.session.commit()


def test_verify_passes_on_an_intact_log(app, runner, company):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "审计日志完整" in result.output


def test_verify_names_an_edited_entry(app, runner, company, english):
    target = entries(app)[10].id
    with app.app_context():
        db.session.execute(update(AuditEntry).where(AuditEntry.id == target).values(actor_name="someone else"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit entry #{target}: was edited" in result.output


def test_verify_names_where_an_entry_was_deleted(app, runner, company, english):
    target = entries(app)[5].id
    with app.app_context():
        db.session.execute(text("DELETE FROM core_audit_entry WHERE id = :id"), {"id": target})
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit entry #{target + 1}: entries #{target} to #{target} are missing" in result.output


def verify(runner):
    result = runner.invoke(args=["audit", "verify"])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    return result.exit_code, result.output


@pytest.mark.parametrize("cut", [1, 10])
@pytest.mark.parametrize("anchored_by", [["remind"], ["backup", "{tmp}/b.backup"]])
def test_verify_notices_the_end_of_the_log_cut_off(app, runner, company, english, tmp_path, cut, anchored_by):
    result = runner.invoke(args=[arg.format(tmp=tmp_path) for arg in anchored_by])
    assert result.exit_code == 0, result.output
    last = entries(app)[-1].id
    with app.app_context():
        db.session.execute(text("DELETE FROM core_audit_entry WHERE id > :id"), {"id": last - cut})
        db.session.execute(text("DELETE FROM core_audit_anchor"))  # the file outside the database still tells
        db.session.commit()
    code, output = verify(runner)
    assert code == 1
    assert f"audit entry #{last - cut + 1}: entries #{last - cut + 1} to #{last} were cut off the end" in output


def test_the_anchor_file_moves_on_with_each_run_and_a_restore_starts_it_again(app, runner, company, english,
                                                                              tmp_path):
    backup = tmp_path / "b.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    with app.app_context():
        audit.record(db.session, "ping")
        db.session.commit()
    assert runner.invoke(args=["remind"]).exit_code == 0
    with app.app_context():
        assert json.loads(audit.anchor_file().read_text())["last_id"] == entries(app)[-1].id
    assert runner.invoke(args=["restore", str(backup), "--yes"]).exit_code == 0
    assert verify(runner) == (0, "Audit log intact.\n")  # the older chain is back on purpose, and audited


def test_verify_notices_an_entry_rewritten_with_the_apps_hash_function(app, runner, company, english):
    """Without the key, recomputing every later hash with the (unkeyed) function does not help."""
    target = entries(app)[5].id
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.id >= target).order_by(AuditEntry.id)).all()
        prev = rows[0].prev_hash
        for row in rows:
            if row.id == target:
                row.actor_name = "someone else"
            values = {c: getattr(row, c) for c in ("id", "at", "actor_id", "actor_name", "ip", "module", "entity",
                                                   "entity_id", "action", "changes")}
            row.prev_hash, row.hash = prev, unkeyed_hash(prev, values)
            prev = row.hash
        db.session.commit()
    code, output = verify(runner)
    assert code == 1 and f"audit entry #{target}: was edited" in output


TAMPERED = {"at": lambda e: e.at + timedelta(seconds=1), "actor_id": lambda e: (e.actor_id or 0) + 1,
            "actor_name": lambda e: e.actor_name + "x", "ip": lambda e: "10.6.6.6", "module": lambda e: "other",
            "entity": lambda e: "core_other", "entity_id": lambda e: "12345", "action": lambda e: "delete",
            "changes": lambda e: {**e.changes, "extra": 1}, "prev_hash": lambda e: "1" * 64,
            "hash": lambda e: "2" * 64}


@pytest.mark.parametrize("column", sorted(TAMPERED))
def test_verify_notices_tampering_in_any_column(app, runner, company, english, column):
    target = entries(app)[7]
    with app.app_context():
        db.session.execute(update(AuditEntry).where(AuditEntry.id == target.id)
                           .values({column: TAMPERED[column](target)}))
        db.session.commit()
    code, output = verify(runner)
    assert code == 1 and f"audit entry #{target.id}:" in output, output


@pytest.mark.parametrize("column, value", [("changes", '{"phone": ["1", '), ("at", "not a date")])
def test_verify_reports_an_unreadable_value_instead_of_a_traceback(app, backend, runner, company, english, column,
                                                                    value):
    if backend != "sqlite":
        pytest.skip("PostgreSQL refuses such values in JSONB and timestamptz columns")
    target = entries(app)[3].id
    with app.app_context():
        db.session.execute(text(f"UPDATE core_audit_entry SET {column} = :value WHERE id = :id"),
                           {"value": value, "id": target})
        db.session.commit()
    code, output = verify(runner)
    assert code == 1 and f"audit entry #{target}: its {column} holds an unreadable value" in output, output


def test_verify_notices_a_forged_anchor(app, runner, company, english):
    assert runner.invoke(args=["remind"]).exit_code == 0
    with app.app_context():
        db.session.execute(update(AuditAnchor).values(last_id=AuditAnchor.last_id + 5, count=AuditAnchor.count + 5))
        db.session.commit()
    code, output = verify(runner)
    assert code == 1 and "was forged or edited" in output


def test_concurrent_writers_keep_one_chain(app, company):
    errors = []

    def worker(n):
        write_intent.set(True)  # as for a POST: SQLite takes its write lock up front
        try:
            with app.app_context():
                for i in range(5):
                    audit.record(db.session, "ping", details={"worker": n, "i": i})
                    db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    in_parallel(worker, range(6))
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "ping")) == 30
        assert audit.verify(db.session) is None


def test_audit_page_filters_by_person_module_record_and_date(app, client, auth, company):
    auth.login("zhangwei")
    auth.login("hanmei")
    assert client.get("/audit/").status_code == 200
    page = client.get("/audit/?actor=E0302&action=login", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "张伟" in page and "韩梅" not in page and "Signed in" in page and "Core" in page  # names, not keys
    page = client.get(f"/audit/?entity=core_user&entity_id={company['lina']}").get_data(as_text=True)
    assert f'User <span translate="no">#{company["lina"]}</span>' in page
    assert "No entries match." in client.get("/audit/?from=2000-01-01&to=2000-01-02").get_data(as_text=True)
    assert "No entries match." in client.get("/audit/?actor=nobody").get_data(as_text=True)
    assert client.get("/audit/?from=garbage&page=-4&per_page=x").status_code == 200


def test_audit_page_needs_permission(client, auth, company):
    auth.login("tangjie")
    assert client.get("/audit/").status_code == 403
