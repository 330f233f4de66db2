"""Search ranks on what the index holds: a stored ``tsvector`` on PostgreSQL
(GIN-indexed, replacing the expression index that made every ranked match
recompute its vector), a four-letter prefix index in SQLite's FTS5 table, and on
both an index over the head of ``search_text`` so a product whose name begins
with the typed words is found without the full-text index.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FTS = """CREATE VIRTUAL TABLE product_fts USING fts5(
        search_text, content='products', content_rowid='rowid',
        tokenize="unicode61 remove_diacritics 2", prefix='{prefix}')"""
# The triggers of 0002 name product_fts by name, so they keep feeding the new table.
SQLITE_UP = [
    "DROP TABLE product_fts",
    _FTS.format(prefix="1 2 3 4"),
    "INSERT INTO product_fts(product_fts) VALUES ('rebuild')",
    "CREATE INDEX ix_products_search_head ON products (substr(search_text, 1, 64))",
]
SQLITE_DOWN = [
    "DROP INDEX ix_products_search_head",
    "DROP TABLE product_fts",
    _FTS.format(prefix="1 2 3"),
    "INSERT INTO product_fts(product_fts) VALUES ('rebuild')",
]
POSTGRES_UP = [
    "ALTER TABLE products ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)",
    "DROP INDEX ix_products_search",
    'CREATE INDEX ix_products_search_head ON products ((substr(search_text, 1, 64) COLLATE "C"))',
]
POSTGRES_DOWN = [
    "DROP INDEX ix_products_search_head",
    "CREATE INDEX ix_products_search ON products "
    "USING gin (to_tsvector('simple', search_text))",
    "DROP INDEX ix_products_search_vector",
    "ALTER TABLE products DROP COLUMN search_vector",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
