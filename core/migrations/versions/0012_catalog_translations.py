"""Translated catalog words: a product's name, description and colour and a
category's name in the shopper's language, as JSON beside the catalog's own
(English) columns.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): SQLite keeps the products table, and so the
    # full-text triggers on it.
    op.add_column('products', sa.Column('translations', sa.JSON(), nullable=False,
                                        server_default='{}'))
    op.add_column('categories', sa.Column('translations', sa.JSON(), nullable=False,
                                          server_default='{}'))


def downgrade() -> None:
    op.drop_column('categories', 'translations')
    op.drop_column('products', 'translations')
