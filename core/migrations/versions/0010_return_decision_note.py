"""The note a supervisor writes when approving or rejecting a return: the client
sent it and the core dropped it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_note', sa.String(length=200), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('decision_note')
