"""general requests on the module kit: attachments move to the core's table, the number
series to its document type's counter, and the list gets an index per sort and scope

Revision ID: general_0002
Revises: general_0001
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "general_0002"
down_revision = "general_0001"
branch_labels = None
depends_on = "core_0005"

SORTS_AND_SCOPES = {
    "ix_general_request_created": ["created_at", "id"],
    "ix_general_request_requester_created": ["requester_id", "created_at", "id"],
    "ix_general_request_department_created": ["department_id", "created_at", "id"],
    "ix_general_request_status_created": ["status", "created_at", "id"],
    "ix_general_request_amount": ["amount", "id"],
    "ix_general_request_requester_amount": ["requester_id", "amount", "id"],
    "ix_general_request_department_amount": ["department_id", "amount", "id"],
}


def upgrade():
    # Existing files keep their place in each request's list (and so its signed content).
    op.execute("INSERT INTO core_attachment (type_key, document_id, line_id, slot, comment_id, file_id, "
               "created_by_id, created_at) "
               "SELECT 'general.request', a.request_id, NULL, '', NULL, a.file_id, f.created_by_id, f.created_at "
               "FROM general_attachment a JOIN core_file f ON f.id = a.file_id ORDER BY a.id")
    op.drop_index("ix_general_attachment_request_id", table_name="general_attachment")
    op.drop_table("general_attachment")
    # The series "GR-<year>" now counts under the document type's key, in its format.
    op.execute("INSERT INTO core_sequence (key, value) SELECT 'general.request|' || key || '-{seq}', value "
               "FROM core_sequence WHERE key LIKE 'GR-%'")
    with op.batch_alter_table("general_request", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.String(length=40), type_=sa.String(length=80),
                              existing_nullable=False)
        batch_op.alter_column("status", existing_type=sa.String(length=12), type_=sa.String(length=20),
                              existing_nullable=False)
        for name in ("ix_general_request_department_created", "ix_general_request_requester_created",
                     "ix_general_request_status_created"):
            batch_op.drop_index(name)
        for name, columns in SORTS_AND_SCOPES.items():
            batch_op.create_index(name, columns, unique=False)
        batch_op.create_index("ix_general_request_number", ["number"], unique=False)


def downgrade():
    with op.batch_alter_table("general_request", schema=None) as batch_op:
        batch_op.drop_index("ix_general_request_number")
        for name in SORTS_AND_SCOPES:
            batch_op.drop_index(name)
        batch_op.create_index("ix_general_request_department_created", ["department_id", "created_at"])
        batch_op.create_index("ix_general_request_requester_created", ["requester_id", "created_at"])
        batch_op.create_index("ix_general_request_status_created", ["status", "created_at"])
    op.create_table(
        "general_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["core_file.id"], name=op.f("fk_general_attachment_file_id_core_file")),
        sa.ForeignKeyConstraint(["request_id"], ["general_request.id"],
                                name=op.f("fk_general_attachment_request_id_general_request"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_general_attachment")),
    )
    op.create_index("ix_general_attachment_request_id", "general_attachment", ["request_id"])
    op.execute("INSERT INTO general_attachment (request_id, file_id) SELECT document_id, file_id "
               "FROM core_attachment WHERE type_key = 'general.request' AND line_id IS NULL "
               "AND comment_id IS NULL ORDER BY id")
    op.execute("DELETE FROM core_attachment WHERE type_key = 'general.request'")
