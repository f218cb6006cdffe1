"""example orders

Revision ID: example_0002
Revises: example_0001
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'example_0002'
down_revision = 'example_0001'
branch_labels = None
depends_on = "core_0005"


def upgrade():
    op.create_table('example_order',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['core_department.id'], name=op.f('fk_example_order_department_id_core_department')),
    sa.ForeignKeyConstraint(['requester_id'], ['core_user.id'], name=op.f('fk_example_order_requester_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_example_order'))
    )
    with op.batch_alter_table('example_order', schema=None) as batch_op:
        batch_op.create_index('ix_example_order_amount', ['amount', 'id'], unique=False)
        batch_op.create_index('ix_example_order_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_example_order_department_amount', ['department_id', 'amount', 'id'], unique=False)
        batch_op.create_index('ix_example_order_department_created', ['department_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_example_order_number', ['number'], unique=True)
        batch_op.create_index('ix_example_order_requester_amount', ['requester_id', 'amount', 'id'], unique=False)
        batch_op.create_index('ix_example_order_requester_created', ['requester_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_example_order_status_created', ['status', 'created_at', 'id'], unique=False)

    op.create_table('example_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=100), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['example_order.id'], name=op.f('fk_example_order_line_order_id_example_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_example_order_line'))
    )
    with op.batch_alter_table('example_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_example_order_line_order_id'), ['order_id'], unique=False)



def downgrade():
    with op.batch_alter_table('example_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_example_order_line_order_id'))

    op.drop_table('example_order_line')
    with op.batch_alter_table('example_order', schema=None) as batch_op:
        batch_op.drop_index('ix_example_order_status_created')
        batch_op.drop_index('ix_example_order_requester_created')
        batch_op.drop_index('ix_example_order_requester_amount')
        batch_op.drop_index('ix_example_order_number')
        batch_op.drop_index('ix_example_order_department_created')
        batch_op.drop_index('ix_example_order_department_amount')
        batch_op.drop_index('ix_example_order_created')
        batch_op.drop_index('ix_example_order_amount')

    op.drop_table('example_order')
