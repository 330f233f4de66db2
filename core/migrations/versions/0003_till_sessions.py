"""Till sessions: float, cash movements, every tender taken at a till, the Z count.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:00:43.678446
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.types

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('till_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('store_code', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('float_cents', sa.Integer(), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=False),
    sa.Column('opened_at', core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expected_cents', sa.Integer(), nullable=True),
    sa.Column('counted_cents', sa.Integer(), nullable=True),
    sa.Column('variance_cents', sa.Integer(), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('closed_at', core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['approved_by'], ['staff.id'], name=op.f('fk_till_sessions_approved_by_staff')),
    sa.ForeignKeyConstraint(['closed_by'], ['staff.id'], name=op.f('fk_till_sessions_closed_by_staff')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_till_sessions_device_id_devices')),
    sa.ForeignKeyConstraint(['opened_by'], ['staff.id'], name=op.f('fk_till_sessions_opened_by_staff')),
    sa.ForeignKeyConstraint(['store_code'], ['locations.code'], name=op.f('fk_till_sessions_store_code_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_till_sessions'))
    )
    with op.batch_alter_table('till_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_till_sessions_device_id'), ['device_id'], unique=False)
        batch_op.create_index('ux_till_sessions_open', ['device_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('till_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('tender', sa.String(length=16), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('change_cents', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=80), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('at', core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['till_sessions.id'], name=op.f('fk_till_entries_session_id_till_sessions')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_till_entries_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_till_entries'))
    )
    with op.batch_alter_table('till_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_till_entries_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('till_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_till_entries_session_id'))

    op.drop_table('till_entries')
    with op.batch_alter_table('till_sessions', schema=None) as batch_op:
        batch_op.drop_index('ux_till_sessions_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_till_sessions_device_id'))

    op.drop_table('till_sessions')
