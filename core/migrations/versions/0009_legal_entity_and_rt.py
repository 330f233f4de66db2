"""Each store's legal entity (name, P.IVA, registered office) for its receipts, and
on each order the document the store's fiscal printer (RT) printed for it.

The demo stores get their entities from the seed; a store already in a database
keeps empty fields until it is given them (its receipts then carry no P.IVA).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_name', sa.String(length=120), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('vat_number', sa.String(length=11), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('legal_address', sa.String(length=200), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rt_document_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rt_closure_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rt_serial', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('rt_printed_at', core.types.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('rt_printed_at')
        batch_op.drop_column('rt_serial')
        batch_op.drop_column('rt_closure_number')
        batch_op.drop_column('rt_document_number')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_column('legal_address')
        batch_op.drop_column('vat_number')
        batch_op.drop_column('legal_name')
