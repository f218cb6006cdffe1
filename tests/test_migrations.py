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
