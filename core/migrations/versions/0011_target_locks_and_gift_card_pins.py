"""Wrong codes counted per target (an order, a loyalty card, a gift card), and
gift-card PINs.

Gift cards sold before this revision keep their number and balance; having no
PIN, they are spent only at a till with the card in hand (the web shop asks for
a PIN). The demo is re-seeded with random, Luhn-checked numbers and PINs.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'target_locks',
        sa.Column('target', sa.String(length=80), nullable=False),
        sa.Column('failed_attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('failed_at', core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('locked_until', core.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('target', name=op.f('pk_target_locks')),
    )
    op.create_table(
        'gift_cards',
        sa.Column('card_number', sa.String(length=20), nullable=False),
        sa.Column('pin_hash', sa.String(length=200), nullable=False),
        sa.Column('issued_at', core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['card_number'], ['store_credit_accounts.card_number'],
                                name=op.f('fk_gift_cards_card_number_store_credit_accounts')),
        sa.PrimaryKeyConstraint('card_number', name=op.f('pk_gift_cards')),
    )


def downgrade() -> None:
    op.drop_table('gift_cards')
    op.drop_table('target_locks')
