"""The audit trail: who did what money- or trust-sensitive thing, on which
device, when. Separate from the event log, which clients follow and which is
cut per device; the audit is read by managers only and is never trimmed."""

__all__: list[str] = []
