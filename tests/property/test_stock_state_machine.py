"""Random sequences of stock operations never break the stock invariants.

After every step: ``on_hand >= 0``, ``0 <= reserved <= on_hand`` and
``reserved`` equals the sum of the live reservations of that shelf.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select

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


class StockMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory(prefix="omnitill-run-")
        target = Path(self.folder.name) / "stock.db"
        target.write_bytes(Path(_template_db()).read_bytes())
        self.db = Database(f"sqlite:///{target}")
        self.now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
        set_clock(lambda: self.now)
        self.owner = 0

    def teardown(self) -> None:
        set_clock(None)
        self.db.dispose()
        self.folder.cleanup()

    def _try(self, action) -> None:  # type: ignore[no-untyped-def]
        try:
            with self.db.write() as session:
                action(session)
        except CommerceProblem:
            pass  # refused cleanly: the transaction rolled back whole

    def _any_reservation(self, session, index: int) -> int | None:  # type: ignore[no-untyped-def]
        ids = list(session.scalars(select(Reservation.id).order_by(Reservation.id)))
        return ids[index % len(ids)] if ids else None

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 6),
          minutes=st.one_of(st.none(), st.integers(1, 30)))
    def reserve(self, loc: str, sku: str, qty: int, minutes: int | None) -> None:
        self.owner += 1
        expires = self.now + timedelta(minutes=minutes) if minutes else None
        self._try(lambda s: stock.reserve(s, location=loc, sku=sku, qty=qty, owner_kind="cart",
                                          owner_id=str(self.owner), expires_at=expires))

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 6))
    def till_sale_reserve(self, loc: str, sku: str, qty: int) -> None:
        self.owner += 1
        self._try(lambda s: stock.reserve_in_hand(s, location=loc, sku=sku, qty=qty,
                                                  owner_kind="order", owner_id=str(self.owner),
                                                  reference="T"))

    @rule(index=st.integers(0, 50))
    def release(self, index: int) -> None:
        def act(session) -> None:  # type: ignore[no-untyped-def]
            rid = self._any_reservation(session, index)
            if rid is not None:
                stock.release(session, rid)
        self._try(act)

    @rule(index=st.integers(0, 50), qty=st.one_of(st.none(), st.integers(1, 6)))
    def sell_or_collect(self, index: int, qty: int | None) -> None:
        def act(session) -> None:  # type: ignore[no-untyped-def]
            rid = self._any_reservation(session, index)
            if rid is not None:
                stock.consume(session, rid, qty=qty)
        self._try(act)

    @rule(minutes=st.integers(1, 40))
    def time_passes_and_sweep(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

        def act(session) -> None:  # type: ignore[no-untyped-def]
            for rid in stock.expired_reservations(session):
                stock.release(session, rid)
        self._try(act)

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 10))
    def receive_goods(self, loc: str, sku: str, qty: int) -> None:
        self._try(lambda s: stock.receive(s, location=loc, sku=sku, qty=qty, reason="receipt"))

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), qty=st.integers(1, 10))
    def write_off_damage(self, loc: str, sku: str, qty: int) -> None:
        self._try(lambda s: stock.remove(s, location=loc, sku=sku, qty=qty, reason="damage"))

    @rule(loc=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), counted=st.integers(0, 15))
    def count(self, loc: str, sku: str, counted: int) -> None:
        self._try(lambda s: stock.set_count(s, location=loc, sku=sku, counted=counted))

    @rule(source=st.sampled_from(LOCATIONS), to=st.sampled_from(LOCATIONS),
          sku=st.sampled_from(SKUS), qty=st.integers(1, 8))
    def transfer(self, source: str, to: str, sku: str, qty: int) -> None:
        def act(session) -> None:  # type: ignore[no-untyped-def]
            stock.remove(session, location=source, sku=sku, qty=qty, reason="transfer_out")
            stock.receive(session, location=to, sku=sku, qty=qty, reason="transfer_in")
        self._try(act)

    @invariant()
    def shelves_are_consistent(self) -> None:
        with self.db.read() as session:
            held = dict(session.execute(
                select(Reservation.location_code + ":" + Reservation.sku,
                       func.sum(Reservation.qty)).group_by(Reservation.location_code,
                                                           Reservation.sku)).all())
            for row in session.scalars(select(StockLevel)):
                assert row.on_hand >= 0
                assert 0 <= row.reserved <= row.on_hand
                assert row.reserved == held.get(f"{row.location_code}:{row.sku}", 0)


StockMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStockInvariants = StockMachine.TestCase
