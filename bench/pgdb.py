"""A fresh PostgreSQL database for one bench run, beside the one the URL names."""

from __future__ import annotations

import os

import psycopg


def fresh_database(url: str, name: str) -> str:
    """Drop and create ``name`` (with this process id) on the server of ``url``; its URL."""
    name = f"{name}_{os.getpid()}"
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = f"{base}/postgres".replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
