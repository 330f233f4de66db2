"""Random sequences of stock operations against a model of every shelf.

Each step must be accepted or refused as the model predicts; after every step
each shelf's ``on_hand`` and ``reserved`` are what the model says, the
reservations are the model's, and ``on_hand >= 0``, ``0 <= reserved <= on_hand``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from core.catalog import writes
from core.db import Database
from core.migrate import upgrade
from core.problems import CommerceProblem
from core.stock import service as stock
from core.stock.models import Reservation, StockLevel
from core.timeutil import set_clock

LOCATIONS = ["S1", "S2", "WH"]
SKUS = ["A", "B"]
_template: dict[str, object] = {}


def _template_db() -> str:
    if "path" not in _template:
        holder = tempfile.TemporaryDirectory(prefix="omnitill-prop-")
        _template["holder"] = holder  # removed when the test process exits
        folder = Path(holder.name)
        url = f"sqlite:///{folder / 'stock.db'}"
        upgrade(url)
        db = Database(url)
        with db.write() as session:
            for code in LOCATIONS:
                writes.upsert_location(session, code=code, name=code,
                                       kind="warehouse" if code == "WH" else "own")
            writes.upsert_category(session, code="c", name="C", final_sale=False)
            session.flush()
            for sku in SKUS:
                writes.upsert_product(session, sku=sku, name=sku, category_code="c",
                                      price_cents=100, vat_rate_bp=2200)
        db.dispose()
        _template["path"] = str(folder / "stock.db")
    return str(_template["path"])


@dataclass
class Held:
    """The model of one reservation row: who holds what, and for how long."""

    owner: str
    loc: str
    sku: str
    qty: int
    shortfall: int = 0
    expires: datetime | None = None


class StockMachine(RuleBasedStateMachine):
    """Each rule predicts, from a plain model, whether the core must accept or
    refuse and what every shelf holds afterwards; the invariants compare."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory(prefix="omnitill-run-")
        target = Path(self.folder.name) / "stock.db"
        target.write_bytes(Path(_template_db()).read_bytes())
        self.db = Database(f"sqlite:///{target}")
        self.now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
        set_clock(lambda: self.now)
        self.owner = 0
        self.on_hand: dict[tuple[str, str], int] = {}
        self.held: list[Held] = []  # in the order the rows were written (their ids)

    def teardown(self) -> None:
        set_clock(None)
        self.db.dispose()
        self.folder.cleanup()

    def _reserved(self, loc: str, sku: str) -> int:
        return sum(h.qty for h in self.held if (h.loc, h.sku) == (loc, sku))

    def _available(self, loc: str, sku: str) -> int:
        return self.on_hand.get((loc, sku), 0) - self._reserved(loc, sku)

    def _run(self, action, *, accepted: bool) -> None:  # type: ignore[no-untyped-def]
        try:
            with self.db.write() as session:
                action(session)
        except CommerceProblem as refused:
            assert not accepted, f"the core refused what it must accept: {refused}"
        else:
            assert accepted, "the core accepted what it must refuse"

    def _pick(self, session, index: int) -> int | None:  # type: ignore[no-untyped-def]
        ids = list(session.scalars(select(Reservation.id).order_by(Reservation.id)))
        return ids[index % len(ids)] if ids else None

    def _new_owner(self) -> str:
        self.owner += 1
        return str(self.owner)

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 6),
          minutes=st.one_of(st.none(), st.integers(1, 30)))
    def reserve(self, loc: str, sku: str, qty: int, minutes: int | None) -> None:
        owner = self._new_owner()
        expires = self.now + timedelta(minutes=minutes) if minutes else None
        accepted = self._available(loc, sku) >= qty
        self._run(lambda s: stock.reserve(s, location=loc, sku=sku, qty=qty, owner_kind="cart",
                                          owner_id=owner, expires_at=expires),
                  accepted=accepted)
        if accepted:
            self.held.append(Held(owner, loc, sku, qty, 0, expires))

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 6))
    def till_sale_reserve(self, loc: str, sku: str, qty: int) -> None:
        owner = self._new_owner()
        covered = max(0, min(qty, self._available(loc, sku)))
        self._run(lambda s: stock.reserve_in_hand(s, location=loc, sku=sku, qty=qty,
                                                  owner_kind="order", owner_id=owner,
                                                  reference="T"), accepted=True)
        self.on_hand.setdefault((loc, sku), 0)
        self.held.append(Held(owner, loc, sku, covered, qty - covered))

    @rule(index=st.integers(0, 50))
    def release(self, index: int) -> None:
        self._run(lambda s: (rid := self._pick(s, index)) is not None and stock.release(s, rid),
                  accepted=True)
        if self.held:
            self.held.pop(index % len(self.held))  # the count is left as it was

    @rule(index=st.integers(0, 50), qty=st.one_of(st.none(), st.integers(1, 6)))
    def sell_or_collect(self, index: int, qty: int | None) -> None:
        self._run(lambda s: (rid := self._pick(s, index)) is not None
                  and stock.consume(s, rid, qty=qty), accepted=True)
        if not self.held:
            return
        taken = self.held.pop(index % len(self.held))
        whole = taken.qty + taken.shortfall
        used = whole if qty is None else min(qty, whole)
        counted = min(used, taken.qty)  # counted units leave first
        self.on_hand[(taken.loc, taken.sku)] -= counted
        if used < whole:  # the rest stays held, as a new row
            self.held.append(Held(taken.owner, taken.loc, taken.sku, taken.qty - counted,
                                  taken.shortfall - (used - counted)))

    @rule(minutes=st.integers(1, 40))
    def time_passes_and_sweep(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

        def act(session) -> None:  # type: ignore[no-untyped-def]
            for rid in stock.expired_reservations(session):
                stock.release(session, rid)
        self._run(act, accepted=True)
        self.held = [h for h in self.held if h.expires is None or h.expires > self.now]

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 10))
    def receive_goods(self, loc: str, sku: str, qty: int) -> None:
        self._run(lambda s: stock.receive(s, location=loc, sku=sku, qty=qty, reason="receipt"),
                  accepted=True)
        self.on_hand[(loc, sku)] = self.on_hand.get((loc, sku), 0) + qty

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 10))
    def write_off_damage(self, loc: str, sku: str, qty: int) -> None:
        accepted = self._available(loc, sku) >= qty
        self._run(lambda s: stock.remove(s, location=loc, sku=sku, qty=qty, reason="damage"),
                  accepted=accepted)
        if accepted:
            self.on_hand[(loc, sku)] -= qty

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), counted=st.integers(0, 15))
    def count(self, loc: str, sku: str, counted: int) -> None:
        accepted = counted >= self._reserved(loc, sku)
        self._run(lambda s: stock.set_count(s, location=loc, sku=sku, counted=counted),
                  accepted=accepted)
        if accepted:
            self.on_hand[(loc, sku)] = counted

    @rule(source=st.sampled_from(LOCATIONS), to=st.sampled_from(LOCATIONS),
          sku=st.sampled_from(SKUS), qty=st.integers(1, 8))
    def transfer(self, source: str, to: str, sku: str, qty: int) -> None:
        def act(session) -> None:  # type: ignore[no-untyped-def]
            stock.remove(session, location=source, sku=sku, qty=qty, reason="transfer_out")
            stock.receive(session, location=to, sku=sku, qty=qty, reason="transfer_in")
        accepted = self._available(source, sku) >= qty
        self._run(act, accepted=accepted)
        if accepted:  # all or nothing: both shelves, in one transaction
            self.on_hand[(source, sku)] -= qty
            self.on_hand[(to, sku)] = self.on_hand.get((to, sku), 0) + qty

    @invariant()
    def shelves_are_what_the_model_says(self) -> None:
        with self.db.read() as session:
            rows = {(r.location_code, r.sku): r for r in session.scalars(select(StockLevel))}
            reservations = [
                (r.owner_id, r.location_code, r.sku, r.qty, r.shortfall)
                for r in session.scalars(select(Reservation).order_by(Reservation.id))]
        assert reservations == [(h.owner, h.loc, h.sku, h.qty, h.shortfall) for h in self.held]
        for (loc, sku), expected in self.on_hand.items():
            row = rows.get((loc, sku))
            assert (row.on_hand if row else 0) == expected, f"{sku} at {loc}"
        for (loc, sku), row in rows.items():
            assert row.on_hand >= 0
            assert 0 <= row.reserved <= row.on_hand
            assert row.on_hand == self.on_hand.get((loc, sku), 0)
            assert row.reserved == self._reserved(loc, sku)


StockMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStockInvariants = StockMachine.TestCase
