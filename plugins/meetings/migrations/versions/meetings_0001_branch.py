"""meetings branch

Revision ID: meetings_0001
Revises:
Create Date: 2026-12-01
"""

revision = "meetings_0001"
down_revision = None
branch_labels = ("meetings",)
depends_on = "core_0001"


def upgrade():
    pass


def downgrade():
    pass
