"""budget branch

Revision ID: budget_0001
Revises:
Create Date: 2026-11-23
"""

revision = "budget_0001"
down_revision = None
branch_labels = ("budget",)
depends_on = "core_0001"


def upgrade():
    pass


def downgrade():
    pass
