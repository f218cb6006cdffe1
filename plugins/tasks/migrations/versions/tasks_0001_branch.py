"""tasks branch

Revision ID: tasks_0001
Revises:
Create Date: 2026-12-01
"""

revision = "tasks_0001"
down_revision = None
branch_labels = ("tasks",)
depends_on = "core_0001"


def upgrade():
    pass


def downgrade():
    pass
