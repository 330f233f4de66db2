"""`omnitill demo` shows a manager a chain that has been trading: the last two
weeks of sales, pickups and refunds, consistent with the rules the core keeps
for real orders (totals add up, numbers rise with time, nothing in the future,
an order's steps are in order), and the back office's week has figures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.migrate import upgrade
from core.orders.models import Order, OrderLine, OrderStatusChange
from core.payments.models import Payment
from core.reports.service import kpis
from core.seed.demo import seed_demo
from core.timeutil import utcnow
from tests.conftest import PG_URL, _pg_exec, _pg_url_for


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'demo.db'}"
        return
    if not PG_URL:
        pytest.skip("OMNITILL_TEST_DATABASE_URL is not set")
    name = f"omnitill_trading_{uuid.uuid4().hex[:10]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url_for(name)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_has_two_weeks_of_consistent_trading(empty_url: str, tmp_path: Path) -> None:
    upgrade(empty_url)
    db = Database(empty_url)
    try:
        started = utcnow()
        seed_demo(db, var_dir=tmp_path, trading_days=14)
        with db.read() as session:
            recent = list(session.scalars(
                select(Order).where(Order.created_at >= started - timedelta(days=14))
                .order_by(Order.id)))
            assert len(recent) > 4 * 14 * 10  # four stores with tills, two weeks
            assert all(o.created_at <= started for o in recent)
            for prefix in ("MI01", "W"):
                mine = [o for o in recent if o.number.startswith(f"{prefix}-")]
                assert [o.number for o in mine] == sorted(o.number for o in mine)
                times = [o.created_at for o in mine]
                assert times == sorted(times)  # numbers rise with time
            line_sums = {order_id: total for order_id, total in session.execute(
                select(OrderLine.order_id, func.sum(OrderLine.total_cents))
                .group_by(OrderLine.order_id))}
            paid = {order_id: total for order_id, total in session.execute(
                select(Payment.order_id, func.sum(Payment.amount_cents))
                .group_by(Payment.order_id))}
            for order in recent:
                assert line_sums[order.id] == order.total_cents == paid[order.id]
            steps: dict[int, list[tuple[str, object]]] = {}
            for change in session.scalars(select(OrderStatusChange).order_by(
                    OrderStatusChange.order_id, OrderStatusChange.id)):
                steps.setdefault(change.order_id, []).append((change.status, change.at))
            for order in recent:
                timeline = steps[order.id]
                assert timeline[-1][0] == order.status
                assert [at for _, at in timeline] == sorted(at for _, at in timeline)
                if order.status == "collected":
                    assert order.ready_at is not None and order.ready_at <= timeline[-1][1]
            statuses = {o.status for o in recent}
            assert {"completed", "collected"} <= statuses
            week = kpis(session, store="MI01", channel=None,
                        date_from=(started - timedelta(days=6)).date(), date_to=started.date())
        assert week.orders > 0 and week.sales_cents > 0
        assert week.pickups.collected > 0 and week.returns > 0
        assert sum(h.sales_cents for h in week.by_hour) == week.sales_cents
        assert week.by_staff and all(s.orders > 0 for s in week.by_staff)
    finally:
        db.dispose()
