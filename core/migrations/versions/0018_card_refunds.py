"""Card refunds owed: written down before the card terminal is asked (after the
command's transaction), with the idempotency key every retry sends, and left
``pending`` while the terminal has not said it refunded.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'card_refunds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=40), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('charge_reference', sa.String(length=64), nullable=False),
        sa.Column('amount_cents', sa.Integer(), nullable=False),
        sa.Column('store_code', sa.String(length=8), nullable=False),
        sa.Column('order_number', sa.String(length=24), nullable=True),
        sa.Column('source', sa.String(length=24), nullable=False),
        sa.Column('reason', sa.String(length=120), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('reference', sa.String(length=64), nullable=False),
        sa.Column('message', sa.String(length=200), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('amount_cents > 0', name=op.f('ck_card_refunds_amount_positive')),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'],
                                name=op.f('fk_card_refunds_payment_id_payments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_card_refunds')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_card_refunds_idempotency_key')),
    )
    with op.batch_alter_table('card_refunds', schema=None) as batch_op:
        for column in ('payment_id', 'order_number', 'source', 'status'):
            batch_op.create_index(batch_op.f(f'ix_card_refunds_{column}'), [column],
                                  unique=False)


def downgrade() -> None:
    with op.batch_alter_table('card_refunds', schema=None) as batch_op:
        for column in ('payment_id', 'order_number', 'source', 'status'):
            batch_op.drop_index(batch_op.f(f'ix_card_refunds_{column}'))
    op.drop_table('card_refunds')
