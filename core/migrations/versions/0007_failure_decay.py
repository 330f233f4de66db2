"""When each lock's last wrong attempt was made, so that counts decay: a till's
occasional typo is forgotten after a quiet window, while a right PIN no longer
wipes the count (it let a cashier guess a supervisor's PIN between their own).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.types

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pin_failed_at', core.types.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('pin_failed_at')
        batch_op.drop_column('failed_at')
