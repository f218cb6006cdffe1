"""module kit: attachments and comments of any document; longer number series keys

Revision ID: core_0005
Revises: core_0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "core_0005"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "core_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_key", sa.String(length=80), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["core_user.id"], name=op.f("fk_core_comment_author_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_comment")),
    )
    op.create_index("ix_core_comment_document", "core_comment", ["type_key", "document_id", "id"])
    op.create_table(
        "core_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_key", sa.String(length=80), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["core_comment.id"],
                                name=op.f("fk_core_attachment_comment_id_core_comment"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["core_user.id"],
                                name=op.f("fk_core_attachment_created_by_id_core_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["file_id"], ["core_file.id"], name=op.f("fk_core_attachment_file_id_core_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_attachment")),
    )
    op.create_index(op.f("ix_core_attachment_comment_id"), "core_attachment", ["comment_id"])
    op.create_index("ix_core_attachment_document", "core_attachment", ["type_key", "document_id", "line_id", "id"])
    with op.batch_alter_table("core_sequence", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=40), type_=sa.String(length=200),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table("core_sequence", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=200), type_=sa.String(length=40),
                              existing_nullable=False)
    op.drop_table("core_attachment")
    op.drop_table("core_comment")
