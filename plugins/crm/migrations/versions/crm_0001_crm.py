"""crm branch

Revision ID: crm_0001
Revises:
Create Date: 2026-12-01
"""

revision = "crm_0001"
down_revision = None
branch_labels = ("crm",)
depends_on = "core_0001"


def upgrade():
    pass


def downgrade():
    pass
