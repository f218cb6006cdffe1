"""example items

Revision ID: example_0001
Revises: core_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "example_0001"
down_revision = None
branch_labels = ("example",)
depends_on = "core_0001"


def upgrade():
    op.create_table(
        "example_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_example_item_owner_id_core_user")),
        sa.ForeignKeyConstraint(["department_id"], ["core_department.id"],
                                name=op.f("fk_example_item_department_id_core_department")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example_item")),
    )
    op.create_index(op.f("ix_example_item_owner_id"), "example_item", ["owner_id"])
    op.create_index(op.f("ix_example_item_department_id"), "example_item", ["department_id"])


def downgrade():
    op.drop_table("example_item")
