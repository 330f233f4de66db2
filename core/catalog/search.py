"""Product search on the database's own full-text index.

SQLite uses an FTS5 table kept in step with ``products`` by triggers;
PostgreSQL a GIN index over ``to_tsvector('simple', search_text)``. Both are
created by the migration ``0002_search``. Words are folded to lower-case
ASCII on the way in (``search_text``) and on the way out (the query), so
"caffe" finds "Caffè" on both databases without a server extension. Every
word of the query is a prefix, so results appear while the shopper types.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import text
from sqlalchemy.orm import Session

_WORD = re.compile(r"[a-z0-9]+")


def fold(value: str) -> str:
    """Lower-case, accents removed: the form both the index and queries use."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_words(value: str) -> list[str]:
    return _WORD.findall(fold(value))[:8]


def search_text_for(*parts: str | None) -> str:
    return " ".join(search_words(" ".join(p for p in parts if p)))


_STYLE_KEY = "CASE WHEN p.style = '' THEN p.sku ELSE p.style END"
"""A product without a style is a style of its own."""


def search_skus(
    session: Session, *, query: str, category: str | None, limit: int, offset: int,
    by_style: bool = False,
) -> list[str] | None:
    """SKUs matching every word of ``query``, best first; ``None`` if no words.

    ``by_style``: one SKU per style (its best match), so a polo in twelve sizes
    and colours is one result, and a page holds as many styles as asked for."""
    words = search_words(query)
    if not words:
        return None
    dialect = session.get_bind().dialect.name
    params: dict[str, object] = {"limit": limit, "offset": offset}
    category_clause = ""
    if category:
        params["category"] = category
        category_clause = "AND p.category_code = :category"
    if dialect == "sqlite":
        params["q"] = " AND ".join(f'"{w}"*' for w in words)
        rank, order = "bm25(product_fts)", "rank"
        matches = f"""
            FROM product_fts JOIN products p ON p.rowid = product_fts.rowid
            WHERE product_fts MATCH :q AND p.active {category_clause}
        """
    else:
        params["q"] = " & ".join(f"{w}:*" for w in words)
        rank = "ts_rank(to_tsvector('simple', p.search_text), to_tsquery('simple', :q))"
        order = "rank DESC"
        matches = f"""
            FROM products p
            WHERE to_tsvector('simple', p.search_text) @@ to_tsquery('simple', :q)
              AND p.active {category_clause}
        """
    matched = f"SELECT p.sku AS sku, {_STYLE_KEY} AS style_key, {rank} AS rank {matches}"
    if by_style:
        matched = f"""
            SELECT sku, rank, ROW_NUMBER() OVER (
                PARTITION BY style_key ORDER BY {order}, sku) AS n
            FROM ({matched}) matched
        """
    sql = f"""
        SELECT sku FROM ({matched}) ranked {"WHERE n = 1" if by_style else ""}
        ORDER BY {order}, sku LIMIT :limit OFFSET :offset
    """
    return list(session.scalars(text(sql), params))
