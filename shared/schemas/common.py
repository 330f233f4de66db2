"""Schemas every endpoint shares: problems, health, pages."""

from __future__ import annotations

import types
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from shared.errors import InvalidInput, describe_invalid


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
    enum's value as text, which is how JSON carries it.

    Built by an app (``CartLineSet(sku=..., qty=...)``) from what someone typed, a
    body that breaks a rule raises :class:`~shared.errors.InvalidInput`, the
    ``CommerceError`` every screen already shows as a notice: a screen that missed
    one rule must not end in a traceback. The core validates with
    ``model_validate``, which keeps pydantic's error for its 422 answer."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidInput(describe_invalid(exc.errors()), status=422,
                               code="invalid_input") from exc

    # Validation (``model_validate``, FastAPI) must not run this __init__: marked as
    # a base init the way pydantic marks its own and RootModel's, it stays a
    # constructor-only wrapper (pinned by tests/unit/test_request_building.py).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

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
