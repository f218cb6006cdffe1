"""inbox queue order: tasks sort by a never-NULL queue_at, read in index order

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None

END_OF_TIME = "9999-12-31 00:00:00"


def upgrade():
    with op.batch_alter_table("core_approval_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(f"UPDATE core_approval_task SET queue_at = COALESCE(due_at, '{END_OF_TIME}')")
    with op.batch_alter_table("core_approval_task", schema=None) as batch_op:
        batch_op.alter_column("queue_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_index("ix_core_approval_task_inbox")
        batch_op.create_index("ix_core_approval_task_inbox", ["assignee_id", "status", "queue_at", "id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("core_approval_task", schema=None) as batch_op:
        batch_op.drop_index("ix_core_approval_task_inbox")
        batch_op.create_index("ix_core_approval_task_inbox", ["assignee_id", "status", "due_at"], unique=False)
        batch_op.drop_column("queue_at")
