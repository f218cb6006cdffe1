"""example orders: a reviewer chosen with the person picker

Revision ID: example_0003
Revises: example_0002
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


revision = 'example_0003'
down_revision = 'example_0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('example_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_example_order_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_example_order_reviewer_id_core_user'), 'core_user',
                                    ['reviewer_id'], ['id'])


def downgrade():
    with op.batch_alter_table('example_order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_example_order_reviewer_id_core_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_example_order_reviewer_id'))
        batch_op.drop_column('reviewer_id')
