"""procurement branch

Revision ID: procurement_0001
Revises:
Create Date: 2026-12-10
"""
revision = "procurement_0001"
down_revision = None
branch_labels = ("procurement",)
depends_on = "core_0001"


def upgrade():
    pass


def downgrade():
    pass
