"""An order made on a till while the core was out of reach keeps the number its
receipt was printed with (``<till>-<local seq>``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offline_number', sa.String(length=50), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_offline_number'), ['offline_number'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_offline_number'))
        batch_op.drop_column('offline_number')
