"""The audit log: captured centrally, chained by hash, verifiable, searchable."""
from __future__ import annotations

from sqlalchemy import func, select, text, update

from intranet import audit, db
from intranet.db import write_intent
from intranet.audit import AuditEntry
from intranet.org import Department, User
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


def test_verify_passes_on_an_intact_log(app, runner, company):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_verify_names_an_edited_entry(app, runner, company):
    target = entries(app)[10].id
    with app.app_context():
        db.session.execute(update(AuditEntry).where(AuditEntry.id == target).values(actor_name="someone else"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit entry #{target}: was edited" in result.output


def test_verify_names_where_an_entry_was_deleted(app, runner, company):
    target = entries(app)[5].id
    with app.app_context():
        db.session.execute(text("DELETE FROM core_audit_entry WHERE id = :id"), {"id": target})
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit entry #{target + 1}: entries #{target} to #{target} are missing" in result.output


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
        assert audit.verify_chain(db.session) is None


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
