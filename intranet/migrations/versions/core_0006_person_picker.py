"""person picker: each user's name in pinyin and initials, indexed, for finding colleagues

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

# The same function the model uses on every save, so migrated people are found exactly like new ones.
from intranet.org import pinyin_keys

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None

BATCH = 500


def _key(length: int):
    return sa.String(length).with_variant(sa.String(length, collation="NOCASE"), "sqlite")


def upgrade():
    with op.batch_alter_table("core_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pinyin", _key(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("initials", _key(50), nullable=False, server_default=""))
    connection = op.get_bind()
    users = sa.table("core_user", sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("pinyin", sa.String), sa.column("initials", sa.String))
    update = (sa.update(users).where(users.c.id == sa.bindparam("user_id"))
              .values(pinyin=sa.bindparam("key_pinyin"), initials=sa.bindparam("key_initials")))
    rows = connection.execute(sa.select(users.c.id, users.c.name).order_by(users.c.id)).all()
    for start in range(0, len(rows), BATCH):
        batch = []
        for user_id, name in rows[start:start + BATCH]:
            full, initials = pinyin_keys(name)
            batch.append({"user_id": user_id, "key_pinyin": full, "key_initials": initials})
        connection.execute(update, batch)
    op.create_index("ix_core_user_pinyin", "core_user", ["pinyin"], unique=False,
                    postgresql_ops={"pinyin": "text_pattern_ops"})
    op.create_index("ix_core_user_initials", "core_user", ["initials"], unique=False,
                    postgresql_ops={"initials": "text_pattern_ops"})


def downgrade():
    op.drop_index("ix_core_user_initials", table_name="core_user")
    op.drop_index("ix_core_user_pinyin", table_name="core_user")
    with op.batch_alter_table("core_user", schema=None) as batch_op:
        batch_op.drop_column("initials")
        batch_op.drop_column("pinyin")
