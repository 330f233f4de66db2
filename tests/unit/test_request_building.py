"""A request body the app cannot even build (typed text too long, a quantity out of
range) is refused like the core would refuse it: a ``CommerceError`` every screen
already shows as a notice, never a pydantic traceback that ends the app."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.errors import CommerceError, InvalidRequest
from shared.schemas.orders import CartLineSet, CartPark


def test_an_impossible_quantity_is_a_commerce_error_naming_the_field() -> None:
    with pytest.raises(InvalidRequest) as caught:
        CartLineSet(sku="MOKA-CUP-6", qty=1000)
    assert isinstance(caught.value, CommerceError)
    assert not isinstance(caught.value, ValidationError)
    assert caught.value.code == "invalid_input"
    assert "qty" in str(caught.value) and "999" in str(caught.value)


def test_too_long_text_is_a_commerce_error() -> None:
    with pytest.raises(InvalidRequest, match="label"):
        CartPark(label="x" * 61)


def test_a_valid_body_is_built_as_before() -> None:
    assert CartLineSet(sku="MOKA-CUP-6", qty=2).qty == 2


def test_the_core_still_validates_bodies_with_pydantic() -> None:
    """FastAPI validates with ``model_validate``: that path keeps pydantic's error so the
    core answers 422 problem+json as before."""
    with pytest.raises(ValidationError):
        CartLineSet.model_validate({"sku": "MOKA-CUP-6", "qty": 1000})
