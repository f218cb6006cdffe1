"""core schema

Revision ID: core_0001
Revises: 
Create Date: 2026-11-22 21:04:40.890978

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'core_0001'
down_revision = None
branch_labels = ('core',)
depends_on = None


def upgrade():
    op.create_table('core_audit_entry',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=100), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=80), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_audit_entry'))
    )
    with op.batch_alter_table('core_audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_core_audit_entry_actor_at', ['actor_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_core_audit_entry_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index('ix_core_audit_entry_module_at', ['module', 'at'], unique=False)

    op.create_table('core_calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_core_calendar_day'))
    )
    op.create_table('core_department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('head_id', sa.Integer(), nullable=True),
    sa.Column('vp_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['core_department.id'], name=op.f('fk_core_department_parent_id_core_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_department')),
    sa.UniqueConstraint('code', name=op.f('uq_core_department_code')),
    sa.UniqueConstraint('name', name=op.f('uq_core_department_name'))
    )
    with op.batch_alter_table('core_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_department_head_id'), ['head_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_department_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_department_vp_id'), ['vp_id'], unique=False)

    op.create_table('core_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_generation'))
    )
    op.create_table('core_known_permission',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_core_known_permission'))
    )
    op.create_table('core_role',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_core_role'))
    )
    op.create_table('core_sequence',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_core_sequence'))
    )
    op.create_table('core_position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('is_fixed', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['core_department.id'], name=op.f('fk_core_position_department_id_core_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_position'))
    )
    with op.batch_alter_table('core_position', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_position_department_id'), ['department_id'], unique=False)

    op.create_table('core_role_permission',
    sa.Column('role_key', sa.String(length=40), nullable=False),
    sa.Column('permission', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['role_key'], ['core_role.key'], name=op.f('fk_core_role_permission_role_key_core_role'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role_key', 'permission', name=op.f('pk_core_role_permission'))
    )
    op.create_table('core_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('employee_no', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['core_department.id'], name=op.f('fk_core_user_department_id_core_department')),
    sa.ForeignKeyConstraint(['manager_id'], ['core_user.id'], name=op.f('fk_core_user_manager_id_core_user')),
    sa.ForeignKeyConstraint(['position_id'], ['core_position.id'], name=op.f('fk_core_user_position_id_core_position')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_user')),
    sa.UniqueConstraint('email', name=op.f('uq_core_user_email')),
    sa.UniqueConstraint('employee_no', name=op.f('uq_core_user_employee_no')),
    sa.UniqueConstraint('username', name=op.f('uq_core_user_username'))
    )
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_user_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_user_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_user_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_user_position_id'), ['position_id'], unique=False)

    # core_department and core_user refer to each other: the department's head and
    # vice president join once both tables exist (batch mode, so SQLite can do it too).
    with op.batch_alter_table('core_department', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_core_department_head_id_core_user'), 'core_user',
                                    ['head_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_core_department_vp_id_core_user'), 'core_user',
                                    ['vp_id'], ['id'], ondelete='SET NULL')

    op.create_table('core_approval_delegation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delegate_id'], ['core_user.id'], name=op.f('fk_core_approval_delegation_delegate_id_core_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_approval_delegation_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_approval_delegation'))
    )
    with op.batch_alter_table('core_approval_delegation', schema=None) as batch_op:
        batch_op.create_index('ix_core_approval_delegation_delegate', ['delegate_id', 'ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_approval_delegation_user_id'), ['user_id'], unique=False)

    op.create_table('core_approval_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type_key', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_user.id'], name=op.f('fk_core_approval_policy_created_by_id_core_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_approval_policy')),
    sa.UniqueConstraint('type_key', 'version', name=op.f('uq_core_approval_policy_type_key_version'))
    )
    with op.batch_alter_table('core_approval_policy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_approval_policy_type_key'), ['type_key'], unique=False)

    op.create_table('core_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_user.id'], name=op.f('fk_core_file_created_by_id_core_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_file'))
    )
    op.create_table('core_module',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['core_user.id'], name=op.f('fk_core_module_changed_by_id_core_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_core_module'))
    )
    op.create_table('core_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_status', sa.String(length=10), nullable=False),
    sa.Column('email_attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_notification_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_notification')),
    sa.UniqueConstraint('key', name=op.f('uq_core_notification_key'))
    )
    with op.batch_alter_table('core_notification', schema=None) as batch_op:
        batch_op.create_index('ix_core_notification_email_status', ['email_status', 'id'], unique=False)
        batch_op.create_index('ix_core_notification_user_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('core_setting',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['core_user.id'], name=op.f('fk_core_setting_updated_by_id_core_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_core_setting'))
    )
    op.create_table('core_user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role_key', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['role_key'], ['core_role.key'], name=op.f('fk_core_user_role_role_key_core_role'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_user_role_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role_key', name=op.f('pk_core_user_role'))
    )
    with op.batch_alter_table('core_user_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_user_role_role_key'), ['role_key'], unique=False)

    op.create_table('core_approval_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type_key', sa.String(length=80), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('document_id', sa.String(length=64), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('rule_index', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('last_signature', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['core_department.id'], name=op.f('fk_core_approval_request_department_id_core_department')),
    sa.ForeignKeyConstraint(['policy_id'], ['core_approval_policy.id'], name=op.f('fk_core_approval_request_policy_id_core_approval_policy')),
    sa.ForeignKeyConstraint(['requester_id'], ['core_user.id'], name=op.f('fk_core_approval_request_requester_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_approval_request'))
    )
    with op.batch_alter_table('core_approval_request', schema=None) as batch_op:
        batch_op.create_index('ix_core_approval_request_document', ['type_key', 'document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_approval_request_document_number'), ['document_number'], unique=False)
        batch_op.create_index('ix_core_approval_request_requester', ['requester_id', 'submitted_at'], unique=False)
        batch_op.create_index('ix_core_approval_request_status_module', ['status', 'module'], unique=False)

    op.create_table('core_approval_copy',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['core_approval_request.id'], name=op.f('fk_core_approval_copy_request_id_core_approval_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_approval_copy_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'user_id', name=op.f('pk_core_approval_copy'))
    )
    with op.batch_alter_table('core_approval_copy', schema=None) as batch_op:
        batch_op.create_index('ix_core_approval_copy_user', ['user_id', 'created_at'], unique=False)

    op.create_table('core_approval_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('mode', sa.String(length=3), nullable=False),
    sa.Column('approver_ids', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('cc_ids', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('due_amount', sa.Integer(), nullable=True),
    sa.Column('due_unit', sa.String(length=5), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('last_reminded_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['core_approval_request.id'], name=op.f('fk_core_approval_step_request_id_core_approval_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_approval_step'))
    )
    with op.batch_alter_table('core_approval_step', schema=None) as batch_op:
        batch_op.create_index('ix_core_approval_step_active_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_core_approval_step_request', ['request_id', 'round', 'position'], unique=False)

    op.create_table('core_approval_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('prev_signature', sa.String(length=64), nullable=True),
    sa.Column('signature', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['core_user.id'], name=op.f('fk_core_approval_action_actor_id_core_user')),
    sa.ForeignKeyConstraint(['attachment_id'], ['core_file.id'], name=op.f('fk_core_approval_action_attachment_id_core_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['core_user.id'], name=op.f('fk_core_approval_action_on_behalf_of_id_core_user')),
    sa.ForeignKeyConstraint(['request_id'], ['core_approval_request.id'], name=op.f('fk_core_approval_action_request_id_core_approval_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['core_approval_step.id'], name=op.f('fk_core_approval_action_step_id_core_approval_step'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_user_id'], ['core_user.id'], name=op.f('fk_core_approval_action_target_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_approval_action'))
    )
    with op.batch_alter_table('core_approval_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_approval_action_request_id'), ['request_id'], unique=False)

    op.create_table('core_approval_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('type_key', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acted_by_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acted_by_id'], ['core_user.id'], name=op.f('fk_core_approval_task_acted_by_id_core_user')),
    sa.ForeignKeyConstraint(['assignee_id'], ['core_user.id'], name=op.f('fk_core_approval_task_assignee_id_core_user')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['core_user.id'], name=op.f('fk_core_approval_task_on_behalf_of_id_core_user')),
    sa.ForeignKeyConstraint(['request_id'], ['core_approval_request.id'], name=op.f('fk_core_approval_task_request_id_core_approval_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['core_approval_step.id'], name=op.f('fk_core_approval_task_step_id_core_approval_step'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_approval_task'))
    )
    with op.batch_alter_table('core_approval_task', schema=None) as batch_op:
        batch_op.create_index('ix_core_approval_task_done', ['acted_by_id', 'decided_at'], unique=False)
        batch_op.create_index('ix_core_approval_task_inbox', ['assignee_id', 'status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_approval_task_request_id'), ['request_id'], unique=False)
        batch_op.create_index('ix_core_approval_task_step', ['step_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('core_department', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_core_department_vp_id_core_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_core_department_head_id_core_user'), type_='foreignkey')
    with op.batch_alter_table('core_approval_task', schema=None) as batch_op:
        batch_op.drop_index('ix_core_approval_task_step')
        batch_op.drop_index(batch_op.f('ix_core_approval_task_request_id'))
        batch_op.drop_index('ix_core_approval_task_inbox')
        batch_op.drop_index('ix_core_approval_task_done')

    op.drop_table('core_approval_task')
    with op.batch_alter_table('core_approval_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_approval_action_request_id'))

    op.drop_table('core_approval_action')
    with op.batch_alter_table('core_approval_step', schema=None) as batch_op:
        batch_op.drop_index('ix_core_approval_step_request')
        batch_op.drop_index('ix_core_approval_step_active_due')

    op.drop_table('core_approval_step')
    with op.batch_alter_table('core_approval_copy', schema=None) as batch_op:
        batch_op.drop_index('ix_core_approval_copy_user')

    op.drop_table('core_approval_copy')
    with op.batch_alter_table('core_approval_request', schema=None) as batch_op:
        batch_op.drop_index('ix_core_approval_request_status_module')
        batch_op.drop_index('ix_core_approval_request_requester')
        batch_op.drop_index(batch_op.f('ix_core_approval_request_document_number'))
        batch_op.drop_index('ix_core_approval_request_document')

    op.drop_table('core_approval_request')
    with op.batch_alter_table('core_user_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_user_role_role_key'))

    op.drop_table('core_user_role')
    op.drop_table('core_setting')
    with op.batch_alter_table('core_notification', schema=None) as batch_op:
        batch_op.drop_index('ix_core_notification_user_unread')
        batch_op.drop_index('ix_core_notification_email_status')

    op.drop_table('core_notification')
    op.drop_table('core_module')
    op.drop_table('core_file')
    with op.batch_alter_table('core_approval_policy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_approval_policy_type_key'))

    op.drop_table('core_approval_policy')
    with op.batch_alter_table('core_approval_delegation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_approval_delegation_user_id'))
        batch_op.drop_index('ix_core_approval_delegation_delegate')

    op.drop_table('core_approval_delegation')
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_user_position_id'))
        batch_op.drop_index(batch_op.f('ix_core_user_name'))
        batch_op.drop_index(batch_op.f('ix_core_user_manager_id'))
        batch_op.drop_index(batch_op.f('ix_core_user_department_id'))

    op.drop_table('core_user')
    op.drop_table('core_role_permission')
    with op.batch_alter_table('core_position', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_position_department_id'))

    op.drop_table('core_position')
    op.drop_table('core_sequence')
    op.drop_table('core_role')
    op.drop_table('core_known_permission')
    op.drop_table('core_generation')
    with op.batch_alter_table('core_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_department_vp_id'))
        batch_op.drop_index(batch_op.f('ix_core_department_parent_id'))
        batch_op.drop_index(batch_op.f('ix_core_department_head_id'))

    op.drop_table('core_department')
    op.drop_table('core_calendar_day')
    with op.batch_alter_table('core_audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_core_audit_entry_module_at')
        batch_op.drop_index('ix_core_audit_entry_entity')
        batch_op.drop_index(batch_op.f('ix_core_audit_entry_at'))
        batch_op.drop_index('ix_core_audit_entry_actor_at')

    op.drop_table('core_audit_entry')
