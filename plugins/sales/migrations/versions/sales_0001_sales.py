"""sales branch

Revision ID: sales_0001
Revises:
Create Date: 2026-12-01
"""

revision = "sales_0001"
down_revision = None
branch_labels = ("sales",)
depends_on = "core_0001"


def upgrade():
    pass


def downgrade():
    pass
