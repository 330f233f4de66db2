"""Return refunds per tender: how much of a refund went back in cash, to the card,
on store credit, so the till tells the cashier what to hand out and a reprint
says the same.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('return_refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('tender', sa.String(length=16), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('card_number', sa.String(length=64), nullable=True),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_return_refunds_amount_positive')),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_refunds_return_id_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_refunds'))
    )
    with op.batch_alter_table('return_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_refunds_return_id'), ['return_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('return_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_refunds_return_id'))

    op.drop_table('return_refunds')
