"""audit chain keyed with AUDIT_KEY, and anchors of where it stood

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-12-02

Entries written before this revision are hashed with plain SHA-256. The upgrade
checks that old chain first and, when it is intact, re-hashes every entry with the
key (see docs/decisions.md "Hardening"). A broken old chain stops the upgrade with
the first bad entry named, unless AUDIT_REKEY_BROKEN_CHAIN is set: the administrator then
accepts the old log as it is, and only changes from now on are detected.
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "core_0007"
down_revision = "core_0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "core_audit_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_audit_anchor")),
    )
    op.create_index(op.f("ix_core_audit_anchor_last_id"), "core_audit_anchor", ["last_id"])
    _rekey(op.get_bind())


def _rekey(connection) -> None:
    from intranet.audit.capture import GENESIS, entry_hash, unkeyed_hash
    from intranet.audit.models import AuditEntry

    key = current_app.config["AUDIT_KEY"].encode("utf-8")
    table = AuditEntry.__table__
    old_prev, new_prev, broken = GENESIS, GENESIS, None
    for entry in connection.execute(sa.select(table).order_by(table.c.id)).mappings():
        row = dict(entry)
        if broken is None and (row["prev_hash"] != old_prev or unkeyed_hash(row["prev_hash"], row) != row["hash"]):
            broken = row["id"]
        old_prev = row["hash"]
        new_hash = entry_hash(new_prev, row, key)
        connection.execute(table.update().where(table.c.id == row["id"]).values(prev_hash=new_prev, hash=new_hash))
        new_prev = new_hash
    if broken is not None and not current_app.config.get("AUDIT_REKEY_BROKEN_CHAIN"):
        raise RuntimeError(f"audit entry #{broken} was edited or follows a deleted entry, so the audit log is not "
                           "re-keyed; investigate, then set INTRANET_AUDIT_REKEY_BROKEN_CHAIN=true to accept it")


def downgrade():
    # The old unkeyed hashes are not restored: `flask audit verify` of the old code then reports the chain.
    op.drop_index(op.f("ix_core_audit_anchor_last_id"), table_name="core_audit_anchor")
    op.drop_table("core_audit_anchor")
