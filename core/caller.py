"""Who is calling: a plain domain value the HTTP layer (``core.deps``) builds from
the request's tokens and hands to the services.

The services take a ``Caller`` and never see a request, a header or FastAPI, so
they can be called from the CLI, the sweep and tests as they are from a route;
an import-linter contract keeps them off ``core.deps``.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.auth.service import StaffClaims
from core.problems import Forbidden, Unauthorized
from shared.schemas.enums import DeviceKind, Role

__all__ = ["Caller"]


@dataclass(frozen=True, slots=True)
class Caller:
    """The device a request comes from and, on a till, the staff signed in."""

    device_id: int
    device_kind: DeviceKind
    device_name: str
    store_code: str | None
    staff: StaffClaims | None = None
    approver: StaffClaims | None = None
    """A supervisor who typed their PIN on this till to approve one action."""

    @property
    def role(self) -> Role | None:
        return self.staff.role if self.staff else None

    def require_staff(self, minimum: Role = Role.CASHIER, action: str = "do this") -> StaffClaims:
        if self.staff is None:
            raise Unauthorized(f"Sign in with your staff PIN to {action}.", code="staff_required")
        if self.approved_by(minimum) is None:
            raise Forbidden(
                f"A {minimum.value} or above must {action}.", code="role_required",
                required_role=minimum.value,
            )
        return self.staff

    def approved_by(self, minimum: Role) -> StaffClaims | None:
        """Who approved an action the signed-in cashier may not do alone."""
        if self.staff is not None and self.staff.role.at_least(minimum):
            return self.staff
        if self.approver is not None and self.approver.role.at_least(minimum):
            return self.approver
        return None
