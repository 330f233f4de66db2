"""Full-text product search on each database's own index, and the event counter.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE product_fts USING fts5(
        search_text, content='products', content_rowid='rowid',
        tokenize="unicode61 remove_diacritics 2", prefix='1 2 3')""",
    """CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO product_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
    END""",
    """CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
        INSERT INTO product_fts(product_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    END""",
    """CREATE TRIGGER products_fts_update AFTER UPDATE OF search_text ON products BEGIN
        INSERT INTO product_fts(product_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO product_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER products_fts_update",
    "DROP TRIGGER products_fts_delete",
    "DROP TRIGGER products_fts_insert",
    "DROP TABLE product_fts",
]
POSTGRES_UP = [
    "CREATE INDEX ix_products_search ON products "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_DOWN = ["DROP INDEX ix_products_search"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)
    op.execute("INSERT INTO number_sequences (name, value) VALUES ('events', 0)")


def downgrade() -> None:
    op.execute("DELETE FROM number_sequences WHERE name = 'events'")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
