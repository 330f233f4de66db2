"""PostgreSQL: a sequence for events waiting for their number.

An event is written with a temporary negative ``seq`` from this sequence and
numbered in commit order after its transaction commits (see
:mod:`core.events.service`), so no transaction holds the chain-wide counter
row until it commits. SQLite keeps numbering at commit (one writer at a time).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 17:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE IF NOT EXISTS events_unnumbered AS bigint")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS events_unnumbered")
