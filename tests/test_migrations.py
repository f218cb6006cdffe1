"""Migrations build exactly the schema the models describe, on both databases."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intranet import create_app, db
from tests.conftest import empty_postgres_database, make_config


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    with empty_postgres_database("intranet_migrate") as url:
        yield url


def test_upgrade_heads_matches_the_models(empty_database):
    app = create_app(make_config(empty_database))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade", "heads"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], differences


def test_every_module_has_its_own_branch(app):
    with app.app_context():
        from alembic.script import ScriptDirectory

        config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
        script = ScriptDirectory.from_config(config)
        labels = {label for rev in script.walk_revisions() for label in rev.branch_labels}
    assert {"core", *app.extensions["intranet"].registry.modules} - {"needy"} <= labels


def test_general_requests_keep_their_files_and_numbers_through_the_module_kit(empty_database):
    """Before the kit, general kept its own attachment table and counted numbers under "GR-<year>":
    the migration moves the files to the core's table (same order, so signatures hold) and the
    counter to the document type's series, so the next number follows the last."""
    from alembic import command
    from sqlalchemy import text

    app = create_app(make_config(empty_database))
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
        command.upgrade(config, "general_0001")
        command.upgrade(config, "core_0003")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO core_department (id, name, code, sort_order, active) "
                                    "VALUES (1, '研发部', 'RD', 0, true)"))
            connection.execute(text("INSERT INTO core_user (id, username, employee_no, name, phone, department_id, "
                                    "active, password_hash, session_token, must_change_password, failed_logins, "
                                    "created_at) VALUES (1, 'zw', 'E1', '张伟', '', 1, true, '', 't', false, 0, "
                                    "'2026-11-01 08:00:00+00')"))
            connection.execute(text("INSERT INTO general_request (id, number, revision, title, category, description, "
                                    "currency, requester_id, department_id, status, created_at, updated_at) VALUES "
                                    "(1, 'GR-2026-000007', 1, '旧申请', '办公用品', '', 'CNY', 1, 1, 'draft', "
                                    "'2026-11-01 08:00:00+00', '2026-11-01 08:00:00+00')"))
            for file_id, name in ((1, "a.pdf"), (2, "b.pdf")):
                connection.execute(text("INSERT INTO core_file (id, name, content_type, size, sha256, data, "
                                        "created_at) VALUES (:id, :name, 'application/pdf', 1, :sha, :data, "
                                        "'2026-11-01 08:00:00+00')"),
                                   {"id": file_id, "name": name, "sha": str(file_id) * 64, "data": b"x"})
                connection.execute(text("INSERT INTO general_attachment (request_id, file_id) VALUES (1, :id)"),
                                   {"id": file_id})
            connection.execute(text("INSERT INTO core_sequence (key, value) VALUES ('GR-2026', 7)"))
        command.upgrade(config, "heads")
        with db.engine.connect() as connection:
            files = connection.execute(text("SELECT file_id FROM core_attachment WHERE type_key = 'general.request' "
                                            "AND document_id = 1 ORDER BY id")).scalars().all()
            counter = connection.execute(text("SELECT value FROM core_sequence "
                                              "WHERE key = 'general.request|GR-2026-{seq}'")).scalar()
        db.engine.dispose()
    assert files == [1, 2] and counter == 7


def _old_audit_log(connection, entries: int) -> None:
    """Entries as the core wrote them before core_0007: chained with plain SHA-256."""
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from intranet.audit import AuditEntry
    from intranet.audit.capture import GENESIS, unkeyed_hash

    prev = GENESIS
    for number in range(1, entries + 1):
        row = {"id": number, "at": datetime(2026, 11, 1, 8, number, tzinfo=timezone.utc), "actor_id": None,
               "actor_name": "system", "ip": "", "module": "core", "entity": "", "entity_id": "",
               "action": "ping", "changes": {"n": number}}
        row["prev_hash"], row["hash"] = prev, unkeyed_hash(prev, row)
        prev = row["hash"]
        connection.execute(insert(AuditEntry), [row])


def test_the_upgrade_keys_an_intact_audit_log_and_stops_at_a_broken_one(empty_database):
    from alembic import command
    from sqlalchemy import text

    from intranet import audit

    app = create_app(make_config(empty_database))
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
        command.upgrade(config, "core_0005")
        with db.engine.begin() as connection:
            _old_audit_log(connection, 5)
            connection.execute(text("UPDATE core_audit_entry SET actor_name = 'someone' WHERE id = 3"))
        with pytest.raises(RuntimeError, match="audit entry #3 was edited"):
            command.upgrade(config, "core_0007")
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM core_audit_entry"))
            _old_audit_log(connection, 5)
        command.upgrade(config, "heads")
        assert audit.verify(db.session) is None  # keyed now: the app's check passes
        db.session.remove()
        db.engine.dispose()
