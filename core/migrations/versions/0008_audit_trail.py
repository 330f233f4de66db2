"""The audit trail: refunds, discounts, approvals, stock adjustments, transfers,
till closes, unlocks and revocations, with who, on which device, when.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.types

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('at', core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('store_code', sa.String(length=8), nullable=True),
        sa.Column('subject', sa.String(length=40), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.Column('device_name', sa.String(length=80), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('staff_name', sa.String(length=80), nullable=False),
        sa.Column('approver_id', sa.Integer(), nullable=True),
        sa.Column('approver_name', sa.String(length=80), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    )
    op.create_index(op.f('ix_audit_entries_at'), 'audit_entries', ['at'], unique=False)
    op.create_index(op.f('ix_audit_entries_kind'), 'audit_entries', ['kind'], unique=False)
    op.create_index('ix_audit_entries_store_id', 'audit_entries', ['store_code', 'id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_entries_store_id', table_name='audit_entries')
    op.drop_index(op.f('ix_audit_entries_kind'), table_name='audit_entries')
    op.drop_index(op.f('ix_audit_entries_at'), table_name='audit_entries')
    op.drop_table('audit_entries')
