"""Alembic, driven from code: ``omnitill db upgrade`` and ``serve`` call this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from core.db import Database, owner_only_sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the schema to the newest revision, then rebuild the SQLite search
    index (cheap, and it heals the index after a VACUUM renumbered rows)."""
    owner_only_sqlite_file(url)
    command.upgrade(alembic_config(url), "head")
    if url.startswith("sqlite"):
        db = Database(url)
        try:
            with db.write() as session:
                session.execute(text("INSERT INTO product_fts(product_fts) VALUES('rebuild')"))
        finally:
            db.dispose()
