"""The HTTP client both apps (and the CLI, and the tests) use to talk to the core.

Requests are described once, as :class:`Call` values built by :class:`Api`,
and sent by either client::

    with CommerceClient(url, token) as client:
        page = client.call(Api.products(q="tee"))
    async with AsyncCommerceClient(url, token) as client:
        page = await client.call(Api.products(q="tee"))

so the sync and async clients can never drift apart. Refusals raise the tree in
:mod:`shared.errors`; timeouts and refused connections raise ``Unavailable``.
Pass ``transport=`` (``httpx.MockTransport``, ``httpx.ASGITransport``) in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter

from shared.errors import CommerceError, Unavailable, error_from_problem
from shared.schemas.audit import AuditPage
from shared.schemas.auth import (
    DeviceUnlock,
    StaffSession,
    StoreDevice,
    UnlockResult,
    Whoami,
)
from shared.schemas.catalog import (
    Availability,
    CategoryOut,
    ProductDetail,
    ProductPage,
    ScanResult,
    StoreOut,
)
from shared.schemas.common import Health
from shared.schemas.enums import LineAnswer
from shared.schemas.exchanges import ExchangeCreate, ExchangeOut
from shared.schemas.fiscal import FiscalDocument
from shared.schemas.giftcards import GiftCardCheck
from shared.schemas.loyalty import LoyaltyCardIn
from shared.schemas.orders import (
    AdjustmentIn,
    CartCreate,
    CartLineChange,
    CartLineSet,
    CartOut,
    CartPark,
    CheckIn,
    CheckInResult,
    Collect,
    EventOut,
    Handoff,
    OrderCreate,
    OrderOut,
    PaymentIn,
    Pick,
    PickupOut,
    ReceiptEmail,
    StockLevelOut,
    TransferCreate,
    TransferOut,
    Transition,
)
from shared.schemas.reports import Kpis
from shared.schemas.returns import (
    CreditOut,
    CustomerHistory,
    CustomerOut,
    CustomerUpdate,
    LoyaltyOut,
    ReturnCreate,
    ReturnDecision,
    ReturnOut,
)
from shared.schemas.tills import CashMovementIn, TillClose, TillOpen, TillReport

__all__ = ["Api", "AsyncCommerceClient", "Call", "CommerceClient"]

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One request and the type its answer is read as."""

    method: str
    path: str
    response: Any
    params: dict[str, Any] = field(default_factory=dict)
    body: BaseModel | dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        if isinstance(self.body, BaseModel):
            return self.body.model_dump(mode="json", exclude_none=True)
        return self.body

    def approved_by(self, approver_token: str) -> Call[T]:
        """The same call countersigned by a supervisor who entered their PIN on
        this till (``X-Approver-Token``): discounts, returns and closing
        variances beyond the cashier's limits."""
        return replace(self, headers=self.headers | {"X-Approver-Token": approver_token})


class Api:
    """Builders of every call of the core's API (v1)."""

    @staticmethod
    def health() -> Call[Health]:
        return Call("GET", "/v1/health", Health)

    @staticmethod
    def stores() -> Call[list[StoreOut]]:
        return Call("GET", "/v1/stores", list[StoreOut])

    @staticmethod
    def categories() -> Call[list[CategoryOut]]:
        return Call("GET", "/v1/categories", list[CategoryOut])

    @staticmethod
    def products(
        q: str | None = None, category: str | None = None, limit: int = 20,
        cursor: str | None = None,
    ) -> Call[ProductPage]:
        params = {"q": q, "category": category, "limit": limit, "cursor": cursor}
        return Call("GET", "/v1/products", ProductPage,
                    params={k: v for k, v in params.items() if v is not None})

    @staticmethod
    def styles(
        q: str | None = None, category: str | None = None, limit: int = 20,
        cursor: str | None = None,
    ) -> Call[ProductPage]:
        """Like :meth:`products`, one row per style (a shopper's view of a
        catalog where every size and colour is its own SKU)."""
        params = {"q": q, "category": category, "limit": limit, "cursor": cursor,
                  "group": "style"}
        return Call("GET", "/v1/products", ProductPage,
                    params={k: v for k, v in params.items() if v is not None})

    @staticmethod
    def product(sku: str) -> Call[ProductDetail]:
        return Call("GET", f"/v1/products/{_p(sku)}", ProductDetail)

    @staticmethod
    def availability(sku: str) -> Call[Availability]:
        return Call("GET", f"/v1/products/{_p(sku)}/availability", Availability)

    @staticmethod
    def scan(code: str, *, with_product: bool = False) -> Call[ScanResult]:
        """``with_product``: a product's answer holds its detail and its stock here
        too (``detail``, ``availability``), as :meth:`product` and
        :meth:`availability` would read them; a core older than that leaves them out."""
        return Call("POST", "/v1/scan", ScanResult, body={"code": code},
                    params={"include": "product"} if with_product else {})

    @staticmethod
    def staff_sign_in(pin: str) -> Call[StaffSession]:
        return Call("POST", "/v1/auth/staff", StaffSession, body={"pin": pin})

    @staticmethod
    def whoami() -> Call[Whoami]:
        return Call("GET", "/v1/auth/whoami", Whoami)

    @staticmethod
    def store_devices() -> Call[list[StoreDevice]]:
        """The kiosks and tills of this till's store, with their locks (staff signed in)."""
        return Call("GET", "/v1/auth/devices", list[StoreDevice])

    @staticmethod
    def unlock_device(pin: str, device_id: int) -> Call[UnlockResult]:
        """A supervisor's PIN typed on this till lifts the locks of another device of
        its store (a kiosk locked by wrong codes)."""
        return Call("POST", "/v1/auth/unlock", UnlockResult,
                    body=DeviceUnlock(pin=pin, device_id=device_id))

    @staticmethod
    def unlock(pin: str) -> Call[UnlockResult]:
        """A supervisor's PIN typed on a locked till lifts its locks (PIN sign-in and
        codes) on the spot; a wrong PIN counts as a wrong PIN."""
        return Call("POST", "/v1/auth/unlock", UnlockResult, body=DeviceUnlock(pin=pin))

    # -- carts ----------------------------------------------------------------

    @staticmethod
    def create_cart(body: CartCreate | None = None) -> Call[CartOut]:
        return Call("POST", "/v1/carts", CartOut, body=body or CartCreate())

    @staticmethod
    def cart(cart_id: str) -> Call[CartOut]:
        return Call("GET", f"/v1/carts/{_p(cart_id)}", CartOut)

    @staticmethod
    def set_cart_line(cart_id: str, line: CartLineSet) -> Call[CartOut]:
        return Call("POST", f"/v1/carts/{_p(cart_id)}/lines", CartOut, body=line)

    @staticmethod
    def change_cart_line(cart_id: str, line: CartLineSet) -> Call[CartLineChange]:
        """Like :meth:`set_cart_line`, answered with the changed line and the basket's
        totals only: for a client that keeps the basket (the till's scans)."""
        return Call("POST", f"/v1/carts/{_p(cart_id)}/lines", CartLineChange, body=line,
                    params={"answer": LineAnswer.LINE.value})

    @staticmethod
    def set_cart_customer(cart_id: str, customer_id: int | None) -> Call[CartOut]:
        return Call("PUT", f"/v1/carts/{_p(cart_id)}/customer", CartOut,
                    body={"customer_id": customer_id})

    @staticmethod
    def handoff(cart_id: str) -> Call[Handoff]:
        return Call("POST", f"/v1/carts/{_p(cart_id)}/handoff", Handoff)

    @staticmethod
    def park_cart(cart_id: str, label: str = "") -> Call[CartOut]:
        return Call("POST", f"/v1/carts/{_p(cart_id)}/park", CartOut, body=CartPark(label=label))

    @staticmethod
    def recall_cart(cart_id: str) -> Call[CartOut]:
        return Call("POST", f"/v1/carts/{_p(cart_id)}/recall", CartOut)

    @staticmethod
    def parked_carts() -> Call[list[CartOut]]:
        return Call("GET", "/v1/carts", list[CartOut], params={"parked": "true"})

    @staticmethod
    def abandon_cart(cart_id: str) -> Call[CartOut]:
        return Call("DELETE", f"/v1/carts/{_p(cart_id)}", CartOut)

    # -- orders ---------------------------------------------------------------

    @staticmethod
    def place_order(body: OrderCreate, idempotency_key: str) -> Call[OrderOut]:
        return Call("POST", "/v1/orders", OrderOut, body=body,
                    headers={"Idempotency-Key": idempotency_key})

    @staticmethod
    def open_sales() -> Call[list[OrderOut]]:
        """This till's sales still waiting for payment (part-paid ones included),
        newest first: what to take up again after a sign-out or a restart."""
        return Call("GET", "/v1/orders/open", list[OrderOut])

    @staticmethod
    def order(number: str) -> Call[OrderOut]:
        return Call("GET", f"/v1/orders/{_p(number)}", OrderOut)

    @staticmethod
    def by_receipt(code: str) -> Call[OrderOut]:
        return Call("GET", f"/v1/receipts/{_p(code)}", OrderOut)

    @staticmethod
    def pay(number: str, payment: PaymentIn) -> Call[OrderOut]:
        return Call("POST", f"/v1/orders/{_p(number)}/payments", OrderOut, body=payment)

    @staticmethod
    def receipt_email(number: str, email: str) -> Call[OrderOut]:
        return Call("POST", f"/v1/orders/{_p(number)}/receipt-email", OrderOut,
                    body=ReceiptEmail(email=email))

    @staticmethod
    def fiscal_document(number: str, document: FiscalDocument) -> Call[OrderOut]:
        """What the store's fiscal printer (RT) printed for the sale."""
        return Call("POST", f"/v1/orders/{_p(number)}/fiscal-document", OrderOut,
                    body=document)

    @staticmethod
    def transition(number: str, body: Transition) -> Call[OrderOut]:
        return Call("POST", f"/v1/orders/{_p(number)}/transitions", OrderOut, body=body)

    @staticmethod
    def pick(number: str, body: Pick) -> Call[OrderOut]:
        return Call("POST", f"/v1/orders/{_p(number)}/pick", OrderOut, body=body)

    @staticmethod
    def collect(number: str, body: Collect) -> Call[OrderOut]:
        return Call("POST", f"/v1/orders/{_p(number)}/collect", OrderOut, body=body)

    @staticmethod
    def pickups(store: str, status: str | None = None) -> Call[list[PickupOut]]:
        params = {"status": status} if status else {}
        return Call("GET", f"/v1/stores/{_p(store)}/pickups", list[PickupOut], params=params)

    @staticmethod
    def check_in(body: CheckIn) -> Call[CheckInResult]:
        return Call("POST", "/v1/pickups/check-in", CheckInResult, body=body)

    # -- stock ----------------------------------------------------------------

    @staticmethod
    def adjust_stock(body: AdjustmentIn) -> Call[StockLevelOut]:
        return Call("POST", "/v1/stock/adjustments", StockLevelOut, body=body)

    @staticmethod
    def stock_level(location: str, sku: str) -> Call[StockLevelOut]:
        return Call("GET", f"/v1/stock/{_p(location)}/{_p(sku)}", StockLevelOut)

    @staticmethod
    def create_transfer(body: TransferCreate) -> Call[TransferOut]:
        return Call("POST", "/v1/stock/transfers", TransferOut, body=body)

    @staticmethod
    def receive_transfer(number: str) -> Call[TransferOut]:
        return Call("POST", f"/v1/stock/transfers/{_p(number)}/receive", TransferOut)

    # -- returns, customers, loyalty ------------------------------------------

    @staticmethod
    def create_return(body: ReturnCreate) -> Call[ReturnOut]:
        return Call("POST", "/v1/returns", ReturnOut, body=body)

    @staticmethod
    def returns(statuses: list[str] | None = None) -> Call[list[ReturnOut]]:
        """This store's returns, oldest first; by default the open ones (requested or
        approved), which hold their items until refunded, rejected or withdrawn."""
        return Call("GET", "/v1/returns", list[ReturnOut],
                    params={"status": statuses} if statuses else {})

    @staticmethod
    def get_return(number: str) -> Call[ReturnOut]:
        return Call("GET", f"/v1/returns/{_p(number)}", ReturnOut)

    @staticmethod
    def approve_return(number: str, note: str = "") -> Call[ReturnOut]:
        return Call("POST", f"/v1/returns/{_p(number)}/approve", ReturnOut,
                    body=ReturnDecision(note=note))

    @staticmethod
    def reject_return(number: str, note: str = "") -> Call[ReturnOut]:
        return Call("POST", f"/v1/returns/{_p(number)}/reject", ReturnOut,
                    body=ReturnDecision(note=note))

    @staticmethod
    def refund_return(number: str) -> Call[ReturnOut]:
        return Call("POST", f"/v1/returns/{_p(number)}/refund", ReturnOut)

    @staticmethod
    def exchange(number: str, body: ExchangeCreate, idempotency_key: str) -> Call[ExchangeOut]:
        """The approved return pays for a new sale; all or nothing (see
        :mod:`shared.schemas.exchanges`)."""
        return Call("POST", f"/v1/returns/{_p(number)}/exchange", ExchangeOut, body=body,
                    headers={"Idempotency-Key": idempotency_key})

    @staticmethod
    def customers(q: str) -> Call[list[CustomerOut]]:
        return Call("GET", "/v1/customers", list[CustomerOut], params={"q": q})

    @staticmethod
    def customer(customer_id: int) -> Call[CustomerOut]:
        return Call("GET", f"/v1/customers/{_p(customer_id)}", CustomerOut)

    @staticmethod
    def update_customer(customer_id: int, body: CustomerUpdate) -> Call[CustomerOut]:
        """Record what the customer said about their mail (its language, or none at
        all); what the body leaves out stays as it is (staff; audited)."""
        return Call("PATCH", f"/v1/customers/{_p(customer_id)}", CustomerOut, body=body)

    @staticmethod
    def customer_orders(customer_id: int) -> Call[CustomerHistory]:
        return Call("GET", f"/v1/customers/{_p(customer_id)}/orders", CustomerHistory)

    @staticmethod
    def customer_loyalty(customer_id: int) -> Call[LoyaltyOut]:
        return Call("GET", f"/v1/customers/{_p(customer_id)}/loyalty", LoyaltyOut)

    @staticmethod
    def loyalty_card(code: str) -> Call[LoyaltyOut]:
        return Call("GET", f"/v1/loyalty/cards/{_p(code)}", LoyaltyOut)

    @staticmethod
    def basket_loyalty_card(cart_id: str, code: str) -> Call[CartOut]:
        """The shopper's card (its QR or printed number) on their basket."""
        return Call("PUT", f"/v1/carts/{_p(cart_id)}/loyalty", CartOut,
                    body=LoyaltyCardIn(code=code))

    @staticmethod
    def credit(card_number: str) -> Call[CreditOut]:
        return Call("GET", f"/v1/credit/{_p(card_number)}", CreditOut)

    @staticmethod
    def giftcard_balance(card_number: str, pin: str | None = None) -> Call[CreditOut]:
        """Web shop: with the PIN; a till may leave it out (the card is in hand)."""
        return Call("POST", "/v1/giftcards/balance", CreditOut,
                    body=GiftCardCheck(card_number=card_number, pin=pin))

    # -- till session ---------------------------------------------------------

    @staticmethod
    def till_report() -> Call[TillReport]:
        return Call("GET", "/v1/till", TillReport)

    @staticmethod
    def open_till(float_cents: int) -> Call[TillReport]:
        return Call("POST", "/v1/till/open", TillReport, body=TillOpen(float_cents=float_cents))

    @staticmethod
    def cash_movement(body: CashMovementIn) -> Call[TillReport]:
        return Call("POST", "/v1/till/movements", TillReport, body=body)

    @staticmethod
    def close_till(body: TillClose) -> Call[TillReport]:
        return Call("POST", "/v1/till/close", TillReport, body=body)

    @staticmethod
    def till_session(session_id: int) -> Call[TillReport]:
        return Call("GET", f"/v1/till/sessions/{_p(session_id)}", TillReport)

    # -- back office ------------------------------------------------------------

    @staticmethod
    def kpis(store: str | None = None, date_from: date | None = None,
             date_to: date | None = None, channel: str | None = None) -> Call[Kpis]:
        """A supervisor's store or, for a manager, any store or the chain (no store)."""
        params = {"store": store, "from": date_from.isoformat() if date_from else None,
                  "to": date_to.isoformat() if date_to else None, "channel": channel}
        return Call("GET", "/v1/reports/kpis", Kpis,
                    params={k: v for k, v in params.items() if v is not None})

    @staticmethod
    def audit(store: str | None = None, since: datetime | None = None,
              until: datetime | None = None, limit: int = 100) -> Call[AuditPage]:
        params = {"store": store, "since": since.isoformat() if since else None,
                  "until": until.isoformat() if until else None, "limit": limit}
        return Call("GET", "/v1/audit", AuditPage,
                    params={k: v for k, v in params.items() if v is not None})

    @staticmethod
    def customer_export(customer_id: int) -> Call[dict[str, Any]]:
        """Everything held about a customer (manager; audited)."""
        return Call("GET", f"/v1/customers/{_p(customer_id)}/export", dict[str, Any])

    @staticmethod
    def erase_customer(customer_id: int) -> Call[dict[str, Any]]:
        """Anonymise a customer, keeping their orders (manager; audited)."""
        return Call("POST", f"/v1/customers/{_p(customer_id)}/erase", dict[str, Any])

    # -- events ---------------------------------------------------------------

    @staticmethod
    def events(after: int = 0, store: str | None = None, types: str | None = None,
               limit: int = 200) -> Call[list[EventOut]]:
        params = {"after": after, "store": store, "types": types, "limit": limit}
        return Call("GET", "/v1/events/recent", list[EventOut],
                    params={k: v for k, v in params.items() if v is not None})


def _p(value: object) -> str:
    """One path segment, URL-quoted: a SKU typed as ``moka/..`` or ``a?b`` must stay
    one segment of the path it was meant for, never walk to another endpoint."""
    quoted = quote(str(value), safe="")
    return quoted.replace(".", "%2E") if quoted in (".", "..") else quoted


def _headers(device_token: str | None) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": "omnitill-client"}
    if device_token:
        headers["Authorization"] = f"Bearer {device_token}"
    return headers


def _read(call: Call[T], response: httpx.Response) -> T:
    if response.status_code >= 400:
        try:
            problem = response.json()
            if not isinstance(problem, dict):
                problem = {}
        except ValueError:
            problem = {}
        raise error_from_problem(response.status_code, problem)
    if call.response is None:
        # A call declared with no answer (``Call[None]``): T is None here.
        return cast(T, None)
    try:
        parsed: T = TypeAdapter(call.response).validate_python(response.json())
        return parsed
    except ValueError as exc:  # not JSON, or not the shape asked for (ValidationError)
        raise CommerceError(
            "The store system sent an answer this app cannot read.", status=response.status_code,
            code="unreadable_answer") from exc


def _unavailable(exc: httpx.HTTPError) -> CommerceError:
    if isinstance(exc, httpx.TimeoutException):
        return Unavailable("The store system did not answer in time.", code="timeout")
    return Unavailable("The store system cannot be reached.", code="unreachable")


class _Base:
    def __init__(self, device_token: str | None) -> None:
        self.device_token = device_token
        self.staff_token: str | None = None
        self.language: str | None = None
        """Sent as ``Accept-Language``: the catalog answers in it (a kiosk sets it to
        the language on screen)."""

    def _request_headers_for_stream(self) -> dict[str, str]:
        headers = _headers(self.device_token) | {"Accept": "text/event-stream"}
        if self.staff_token:
            headers["X-Staff-Token"] = self.staff_token
        return headers

    def _request_headers(self, call: Call[Any]) -> dict[str, str]:
        headers = _headers(self.device_token) | call.headers
        if self.staff_token:
            headers["X-Staff-Token"] = self.staff_token
        if self.language:
            headers["Accept-Language"] = self.language
        return headers


class CommerceClient(_Base):
    """Blocking client (CLI, tests, threads); ``http`` lets a test hand in its own."""

    def __init__(
        self, base_url: str, device_token: str | None = None, *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None, http: httpx.Client | None = None,
    ) -> None:
        super().__init__(device_token)
        self.http = http or httpx.Client(base_url=base_url, timeout=timeout, transport=transport)

    def call(self, call: Call[T]) -> T:
        try:
            response = self.http.request(call.method, call.path, params=call.params,
                                         json=call.json(), headers=self._request_headers(call))
        except httpx.HTTPError as exc:
            raise _unavailable(exc) from exc
        return _read(call, response)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncCommerceClient(_Base):
    """Non-blocking client (the Textual apps' workers)."""

    def __init__(
        self, base_url: str, device_token: str | None = None, *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(device_token)
        self.http = http or httpx.AsyncClient(base_url=base_url, timeout=timeout,
                                              transport=transport)

    async def call(self, call: Call[T]) -> T:
        try:
            response = await self.http.request(
                call.method, call.path, params=call.params, json=call.json(),
                headers=self._request_headers(call),
            )
        except httpx.HTTPError as exc:
            raise _unavailable(exc) from exc
        return _read(call, response)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
