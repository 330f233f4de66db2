"""Schemas every endpoint shares: problems, health, pages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    """Base of every schema: unknown fields in a request are an error, not ignored."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Problem(BaseModel):
    """RFC 9457 problem details, plus a stable ``code`` clients can switch on."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = Field(description="What went wrong, in words a person understands.")
    code: str = Field(description="Machine-readable reason, e.g. `out_of_stock`.")
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None
    context: dict[str, Any] | None = None


class Health(Schema):
    status: str
    database: str
    version: str
