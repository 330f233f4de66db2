"""Indexes for the back office's reports: orders by when they were placed,
loyalty entries by when they were written, returns by when they were refunded,
stock movements by when they happened, and a store's orders by when. A KPI range (a day, a week) then reads
its rows instead of scanning a year of the chain's history.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 17:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_orders_created_at", "orders", ["created_at"]),
    ("ix_orders_store_created_at", "orders", ["store_code", "created_at"]),
    ("ix_loyalty_entries_created_at", "loyalty_entries", ["created_at"]),
    ("ix_returns_refunded_at", "returns", ["refunded_at"]),
    ("ix_stock_movements_created_at", "stock_movements", ["created_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
