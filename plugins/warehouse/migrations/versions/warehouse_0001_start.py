"""warehouse branch

Revision ID: warehouse_0001
Revises:
Create Date: 2026-12-12
"""
revision = "warehouse_0001"
down_revision = None
branch_labels = ("warehouse",)
depends_on = "core_0001"


def upgrade():
    pass


def downgrade():
    pass
