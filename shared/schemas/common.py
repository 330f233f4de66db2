"""Schemas every endpoint shares: problems, health, pages."""

from __future__ import annotations

import types
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class Schema(BaseModel):
    """Base of every schema: unknown fields in a request are an error, not ignored."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


def _scalars(annotation: Any) -> set[type]:
    """The JSON scalar kinds a field takes: ``bool``, ``int``, ``float``, ``str``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _scalars(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return set().union(*(_scalars(arg) for arg in get_args(annotation)))
    if origin is Literal:
        return {type(arg) for arg in get_args(annotation)}
    if not isinstance(annotation, type):
        return set()
    if issubclass(annotation, Enum):
        return {str} if issubclass(annotation, str) else {int}
    return {kind for kind in (bool, int, float, str) if issubclass(annotation, kind)
            and not (kind is int and annotation is bool)}


class Request(Schema):
    """Base of every request body: a number must come as a JSON number and a flag
    as ``true``/``false``. Pydantic's lax mode took ``"qty": "1"``, ``true`` and
    ``1.0`` for 1, so the OpenAPI document (``"type": "integer"``) did not say what
    the core accepted. Model-wide strict mode is not used: it also refuses an
    enum's value as text, which is how JSON carries it."""

    @field_validator("*", mode="before")
    @classmethod
    def _json_types_as_declared(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        if name is None or value is None:
            return value
        kinds = _scalars(cls.model_fields[name].annotation)
        if not kinds:
            return value
        if isinstance(value, bool):
            if bool not in kinds:
                raise ValueError("must not be true or false")
        elif bool in kinds and not kinds & {int, str}:
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
        elif isinstance(value, str):
            if str not in kinds:
                raise ValueError("must be a number, not text")
        elif isinstance(value, float) and float not in kinds and int in kinds:
            raise ValueError("must be a whole number")
        return value


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
