"""printouts and signature images

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-22 21:27:24.422926

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'core_0002'
down_revision = 'core_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('core_printout',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('template_key', sa.String(length=80), nullable=False),
    sa.Column('document_id', sa.String(length=64), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('trail_hash', sa.String(length=64), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('printed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['printed_by_id'], ['core_user.id'], name=op.f('fk_core_printout_printed_by_id_core_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_core_printout'))
    )
    with op.batch_alter_table('core_printout', schema=None) as batch_op:
        batch_op.create_index('ix_core_printout_document', ['template_key', 'document_id'], unique=False)

    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_file_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_core_user_signature_file_id_core_file'), 'core_file', ['signature_file_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_core_user_signature_file_id_core_file'), type_='foreignkey')
        batch_op.drop_column('signature_file_id')

    with op.batch_alter_table('core_printout', schema=None) as batch_op:
        batch_op.drop_index('ix_core_printout_document')

    op.drop_table('core_printout')
