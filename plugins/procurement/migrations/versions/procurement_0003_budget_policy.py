"""the budget policy a purchase request was submitted under (warn, step or block)

Revision ID: procurement_0003
Revises: procurement_0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "procurement_0003"
down_revision = "procurement_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("procurement_request") as batch:
        batch.add_column(sa.Column("budget_policy", sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table("procurement_request") as batch:
        batch.drop_column("budget_policy")
