"""Alembic environment: one history, a branch per module depending on the core's.

Generate a module's migration with only its tables:
    flask --app intranet db revision --autogenerate -x module=<key> \
        --head core@head --branch-label <key> --version-path plugins/<key>/migrations/versions -m "..."
(``--branch-label`` only for the module's first revision; later ones use ``--head <key>@head``).
"""
import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

from intranet.db import UTCDateTime

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata
only_module = context.get_x_argument(as_dictionary=True).get("module")


def include_object(obj, name, type_, reflected, compare_to):
    """With -x module=<key>, autogenerate sees only that module's tables."""
    if only_module is None or type_ != "table":
        return True
    return name.startswith(f"{only_module}_")


def render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy ones, so old migrations never
    import application code."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, sa.JSON) and getattr(obj, "_variant_mapping", None):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def process_revision_directives(context_, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    args = dict(migrate.configure_args)
    args.setdefault("process_revision_directives", process_revision_directives)
    with migrate.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          include_object=include_object, render_item=render_item, **args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=migrate.db.engine.url.render_as_string(hide_password=False),
                      target_metadata=target_metadata, literal_binds=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
