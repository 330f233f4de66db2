"""Product search on the database's own full-text index.

SQLite uses an FTS5 table kept in step with ``products`` by triggers;
PostgreSQL a GIN index over the stored ``search_vector`` column
(``to_tsvector('simple', search_text)``, migrations ``0002`` and ``0015``).
Words are folded to lower-case ASCII on the way in (``search_text``) and on
the way out (the query), so "caffe" finds "Caffè" on both databases without a
server extension. Every word of the query is a prefix, so results appear
while the shopper types.

Ranking reads only what the index holds, on a bounded candidate set: at
100,000 products a common prefix ("cott") matches 12,000 rows, and ranking
each of them cost more than scanning the table. SQLite takes the first
``pool`` matches in FTS5's own order and ranks them by FTS5's bm25; PostgreSQL
the first ``pool`` rows the GIN index finds, ranked by ``ts_rank`` on the
stored vector. A common prefix thus ranks a sample of its matches, not all of
them (a query that matches fewer than ``pool`` rows ranks them all). Beside
them, the products whose name begins with the typed words, found through an
index over the head of ``search_text``, always join the candidates and come
first: a shopper who types a product's name sees it at the top whichever rows
the pool holds.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import text
from sqlalchemy.orm import Session

_WORD = re.compile(r"[a-z0-9]+")


def fold(value: str) -> str:
    """Lower-case, accents removed: the form both the index and queries use."""
    if value.isascii():  # nothing to decompose: 100,000 imported names fold 5x faster
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_words(value: str) -> list[str]:
    return _WORD.findall(fold(value))[:8]


def search_text_for(*parts: str | None) -> str:
    return " ".join(search_words(" ".join(p for p in parts if p)))


_STYLE_KEY = "CASE WHEN p.style = '' THEN p.sku ELSE p.style END"
"""A product without a style is a style of its own."""

POOL = 200
"""Candidates ranked per query; a page deeper than this widens it."""
_HEAD = 64
"""Characters of ``search_text`` the head index holds (migration ``0015``)."""


def _pool(limit: int, offset: int, by_style: bool) -> int:
    """Enough candidates for the page asked: a style has up to a dozen variants."""
    return max(POOL, (offset + limit) * (16 if by_style else 4))


def _named(dialect: str, words: list[str], params: dict[str, object]) -> str:
    """Products whose name begins with the typed words, as whole words: their
    ``search_text`` is the words, or starts with them and a space (the name's
    words come first in it). Read through the head index."""
    whole = " ".join(words)
    if len(whole) + 1 >= _HEAD:
        return "false"
    head = 'substr(p.search_text, 1, 64) COLLATE "C"' if dialect != "sqlite" \
        else "substr(p.search_text, 1, 64)"
    params |= {"whole": whole, "spaced": whole + " ", "past": whole + "!"}
    return f"({head} = :whole OR ({head} >= :spaced AND {head} < :past))"


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
    params: dict[str, object] = {
        "limit": limit, "offset": offset, "pool": _pool(limit, offset, by_style)}
    filters = "p.active"
    if category:
        params["category"] = category
        filters += " AND p.category_code = :category"
    named = _named(dialect, words, params)
    if dialect == "sqlite":
        params["q"] = " AND ".join(f'"{w}"*' for w in words)
        order = "rank"
        # The first ``pool`` matches in the index's own order, with FTS5's bm25 of
        # each (computed only for the rows read); a category narrows them first.
        joined = "JOIN products p ON p.rowid = product_fts.rowid" if category else ""
        candidates = f"""
            WITH hits AS (
                SELECT product_fts.rowid AS rid, product_fts.rank AS rank
                FROM product_fts {joined}
                WHERE product_fts MATCH :q {"AND " + filters if category else ""}
                LIMIT :pool),
            named AS (SELECT p.rowid AS rid FROM products p WHERE {named} AND {filters}
                      LIMIT :pool)
            SELECT p.sku AS sku, {_STYLE_KEY} AS style_key,
                   COALESCE(hits.rank, 0) AS rank, named.rid IS NOT NULL AS named
            FROM (SELECT rid FROM hits UNION SELECT rid FROM named) c
            JOIN products p ON p.rowid = c.rid
            LEFT JOIN hits ON hits.rid = c.rid LEFT JOIN named ON named.rid = c.rid
            WHERE {filters}
        """
    else:
        params["q"] = " & ".join(f"{w}:*" for w in words)
        order = "rank DESC"
        # MATERIALIZED: planned apart from the pool's LIMIT, which would otherwise
        # talk the planner into a sequential scan; read lazily, so the bitmap scan
        # still stops after ``pool`` rows.
        candidates = f"""
            WITH matches AS MATERIALIZED (
                SELECT p.sku FROM products p
                WHERE p.search_vector @@ to_tsquery('simple', :q) AND {filters}),
            hits AS (SELECT sku FROM matches LIMIT :pool),
            named AS (SELECT p.sku FROM products p WHERE {named} AND {filters} LIMIT :pool)
            SELECT p.sku AS sku, {_STYLE_KEY} AS style_key,
                   ts_rank(p.search_vector, to_tsquery('simple', :q)) AS rank,
                   p.sku IN (SELECT sku FROM named) AS named
            FROM (SELECT sku FROM hits UNION SELECT sku FROM named) c
            JOIN products p ON p.sku = c.sku
        """
    ranked = f"named DESC, {order}, sku"
    matched = f"SELECT sku, named, rank FROM ({candidates}) candidates"
    if by_style:
        matched = f"""
            SELECT sku, named, rank, ROW_NUMBER() OVER (
                PARTITION BY style_key ORDER BY {ranked}) AS n
            FROM ({candidates}) candidates
        """
    sql = f"""
        SELECT sku FROM ({matched}) ranked {"WHERE n = 1" if by_style else ""}
        ORDER BY {ranked} LIMIT :limit OFFSET :offset
    """
    return list(session.scalars(text(sql), params))
