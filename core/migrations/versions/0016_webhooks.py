"""Webhooks: subscriptions with a durable cursor in the event log, deliveries and
their attempts, the dispatcher's lease row; and the marks that make ``stock.low``
once per crossing of the threshold.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.types

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'webhook_subscriptions',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('description', sa.String(length=200), nullable=False),
        sa.Column('secret_salt', sa.String(length=64), nullable=False),
        sa.Column('cursor', sa.BigInteger(), nullable=False),
        sa.Column('created_at', core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('removed_at', core.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions')),
    )
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('subscription_id', _ID, nullable=False),
        sa.Column('event_seq', sa.BigInteger(), nullable=False),
        sa.Column('event_type', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_status_code', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=200), nullable=False),
        sa.Column('replay_of', sa.BigInteger(), nullable=True),
        sa.Column('created_at', core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('finished_at', core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['subscription_id'], ['webhook_subscriptions.id'],
            name=op.f('fk_webhook_deliveries_subscription_id_webhook_subscriptions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    )
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries',
                    ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_webhook_deliveries_subscription_id', 'webhook_deliveries',
                    ['subscription_id', 'id'], unique=False)
    op.create_index(op.f('ix_webhook_deliveries_event_seq'), 'webhook_deliveries',
                    ['event_seq'], unique=False)
    op.create_table(
        'webhook_attempts',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('delivery_id', _ID, nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('at', core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=200), nullable=False),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'],
                                name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempts')),
    )
    op.create_index(op.f('ix_webhook_attempts_delivery_id'), 'webhook_attempts',
                    ['delivery_id'], unique=False)
    lease = op.create_table(
        'webhook_lease',
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('holder', sa.String(length=64), nullable=False),
        sa.Column('expires_at', core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_webhook_lease')),
    )
    from datetime import UTC, datetime

    op.bulk_insert(lease, [{'name': 'dispatcher', 'holder': '',
                            'expires_at': datetime(2000, 1, 1, tzinfo=UTC)}])
    op.create_table(
        'stock_low_marks',
        sa.Column('location_code', sa.String(length=8), nullable=False),
        sa.Column('sku', sa.String(length=32), nullable=False),
        sa.Column('available', sa.Integer(), nullable=False),
        sa.Column('marked_at', core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('location_code', 'sku', name=op.f('pk_stock_low_marks')),
    )


def downgrade() -> None:
    op.drop_table('stock_low_marks')
    op.drop_table('webhook_lease')
    op.drop_index(op.f('ix_webhook_attempts_delivery_id'), table_name='webhook_attempts')
    op.drop_table('webhook_attempts')
    op.drop_index(op.f('ix_webhook_deliveries_event_seq'), table_name='webhook_deliveries')
    op.drop_index('ix_webhook_deliveries_subscription_id', table_name='webhook_deliveries')
    op.drop_index('ix_webhook_deliveries_due', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_table('webhook_subscriptions')
