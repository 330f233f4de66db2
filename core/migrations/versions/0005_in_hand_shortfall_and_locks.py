"""Till lines in hand note their shortfall instead of raising the count; one lock
per capability on a device (staff PINs apart from scanned codes).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shortfall', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.drop_constraint(op.f('ck_reservations_qty_positive'), type_='check')
        batch_op.create_check_constraint(op.f('ck_reservations_held_non_negative'),
                                         'qty >= 0 AND shortfall >= 0')
        batch_op.create_check_constraint(op.f('ck_reservations_holds_something'),
                                         'qty + shortfall > 0')

    # The existing pair of columns stays the lock on scanned codes (pickup, receipt,
    # loyalty); staff PIN sign-in gets its own.
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_failed_attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('pin_locked_until', core.types.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('pin_locked_until')
        batch_op.drop_column('pin_failed_attempts')

    op.execute('DELETE FROM reservations WHERE qty = 0')
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reservations_holds_something'), type_='check')
        batch_op.drop_constraint(op.f('ck_reservations_held_non_negative'), type_='check')
        batch_op.create_check_constraint(op.f('ck_reservations_qty_positive'), 'qty > 0')
        batch_op.drop_column('shortfall')
