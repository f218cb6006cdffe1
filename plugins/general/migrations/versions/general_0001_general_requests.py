"""general requests

Revision ID: general_0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "general_0001"
down_revision = None
branch_labels = ("general",)
depends_on = "core_0001"


def upgrade():
    op.create_table('general_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['core_department.id'], name=op.f('fk_general_request_department_id_core_department')),
    sa.ForeignKeyConstraint(['requester_id'], ['core_user.id'], name=op.f('fk_general_request_requester_id_core_user')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['general_request.id'], name=op.f('fk_general_request_supersedes_id_general_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_general_request')),
    sa.UniqueConstraint('number', 'revision', name=op.f('uq_general_request_number_revision'))
    )
    with op.batch_alter_table('general_request', schema=None) as batch_op:
        batch_op.create_index('ix_general_request_department_created', ['department_id', 'created_at'], unique=False)
        batch_op.create_index('ix_general_request_requester_created', ['requester_id', 'created_at'], unique=False)
        batch_op.create_index('ix_general_request_status_created', ['status', 'created_at'], unique=False)

    op.create_table('general_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['core_file.id'], name=op.f('fk_general_attachment_file_id_core_file')),
    sa.ForeignKeyConstraint(['request_id'], ['general_request.id'], name=op.f('fk_general_attachment_request_id_general_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_general_attachment'))
    )
    with op.batch_alter_table('general_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_general_attachment_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('general_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_general_attachment_request_id'))

    op.drop_table('general_attachment')
    with op.batch_alter_table('general_request', schema=None) as batch_op:
        batch_op.drop_index('ix_general_request_status_created')
        batch_op.drop_index('ix_general_request_requester_created')
        batch_op.drop_index('ix_general_request_department_created')

    op.drop_table('general_request')
