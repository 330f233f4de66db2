"""Webhook rules without a core: the retry schedule, event patterns, signatures."""

from __future__ import annotations

import pytest

from core.problems import InvalidInput
from core.webhooks.dispatcher import Policy, backoff_seconds
from core.webhooks.service import matches, validate_patterns
from core.webhooks.signature import secret_for, sign, verify
from tests.webhooks.receiver import verified


def test_the_wait_doubles_up_to_the_cap() -> None:
    policy = Policy(backoff_seconds=10, backoff_cap_seconds=3600, max_attempts=12)
    waits = [backoff_seconds(policy, n) for n in range(1, policy.max_attempts)]
    assert waits == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
    assert sum(waits) == 12_310  # the default schedule: about 3 h 25 min in all
    assert backoff_seconds(policy, 500) == 3600


@pytest.mark.parametrize(("patterns", "type_", "taken"), [
    (["*"], "order.created", True),
    (["order.*"], "order.ready_for_pickup", True),
    (["order.*"], "orders.x", False),
    (["return.*", "stock.low"], "stock.low", True),
    (["stock.low"], "stock.changed", False),
    (["order.created"], "order.created", True),
])
def test_patterns(patterns: list[str], type_: str, taken: bool) -> None:
    assert matches(validate_patterns(patterns), type_) is taken


@pytest.mark.parametrize("wrong", [[], [" "], ["order.**"], ["*.created"],
                                   ["order..x"]])
def test_patterns_that_are_refused(wrong: list[str]) -> None:
    with pytest.raises(InvalidInput):
        validate_patterns(wrong)


def test_a_signature_verifies_only_with_its_secret_body_and_time() -> None:
    secret = secret_for(b"k" * 40, "salt")
    assert secret == secret_for(b"k" * 40, "salt") != secret_for(b"j" * 40, "salt")
    header = sign(secret, b'{"id":"evt_1"}', 1_800_000_000)
    assert header.startswith("t=1800000000,v1=")
    assert verify(secret, b'{"id":"evt_1"}', header, now=1_800_000_100)
    assert not verify(secret, b'{"id":"evt_2"}', header, now=1_800_000_100)
    assert not verify(secret, b'{"id":"evt_1"}', header, now=1_800_001_000)  # too old
    assert not verify(secret, b'{"id":"evt_1"}', "v1=00", now=1_800_000_100)
    assert not verified(secret, b'{"id":"evt_1"}', header)  # the README's check: now
