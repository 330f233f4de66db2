"""``GET /v1/reports/kpis``: a manager reads any store or the chain, a
supervisor their own store."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from core.deps import DbDep, SettingsDep, StaffDep
from core.reports import service
from shared.schemas.enums import Channel
from shared.schemas.reports import Kpis

router = APIRouter(prefix="/v1/reports", tags=["reports"])


@router.get("/kpis", response_model=Kpis,
            summary="Sales by channel and store, returns, pickup lead times and no-shows, "
            "stock-outs, loyalty points (supervisor: own store; manager: all)")
def read_kpis(
    db: DbDep, caller: StaffDep, settings: SettingsDep,
    store: Annotated[str | None, Query(max_length=8, description=(
        "One store's code; none is the whole chain (a supervisor: their store)."))] = None,
    date_from: Annotated[date | None, Query(alias="from", description=(
        "First day (the store's days); default the last day."))] = None,
    date_to: Annotated[date | None, Query(alias="to", description=(
        "Last day, included; default today."))] = None,
    channel: Annotated[Channel | None, Query()] = None,
    low_stock_units: Annotated[int | None, Query(ge=0, le=10_000, description=(
        "An item with this many or fewer available is low; default "
        "`OMNITILL_LOW_STOCK_UNITS`, the threshold of `stock.low`."))] = None,
) -> Kpis:
    only = service.readable_store(caller, store)
    with db.read() as session:
        return service.kpis(session, store=only, channel=channel.value if channel else None,
                            date_from=date_from, date_to=date_to,
                            low_stock_units=settings.low_stock_units
                            if low_stock_units is None else low_stock_units)
