"""Selling while the core is out of reach: the till's local store (catalog copy and
outbox), the link state and replay, the local sale, the OFFLINE header."""

from pos.offline.link import OfflineTill, default_data_dir
from pos.offline.store import LocalStore, OutboxEntry

__all__ = ["LocalStore", "OfflineTill", "OutboxEntry", "default_data_dir"]
