"""What the kiosk checks as it starts, so a wrong setting is said at once, in one
sentence that tells staff what to fix, instead of being met by the first
shopper after "Start"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from shared.client import Api, AsyncCommerceClient
from shared.errors import CommerceError, Forbidden, Unauthorized, Unavailable
from shared.i18n import N_
from shared.schemas.auth import Whoami
from shared.schemas.enums import DeviceKind

NOT_KNOWN = N_("This kiosk is not known to the store system: staff, set OMNITILL_DEVICE_TOKEN "
               "to a kiosk's token (omnitill device add --kind kiosk).")
NOT_A_KIOSK = N_("This device token belongs to a {kind}, not a kiosk: staff, create a kiosk's "
                 "token with omnitill device add --kind kiosk.")
NOT_ANSWERING = N_("The store system does not answer at {url}: staff, check OMNITILL_CORE_URL "
                   "and that the core is running.")


@dataclass(frozen=True)
class SetupProblem:
    """What is wrong, and whether shoppers can be let in meanwhile (a core that
    is not answering yet may come; a token it refuses will not work)."""

    message: str
    """The sentence in English, said in the language on screen."""
    blocking: bool
    values: dict[str, str] = field(default_factory=dict)

    def text(self, t: Callable[..., str]) -> str:
        return t(self.message, **self.values)


async def check_setup(client: AsyncCommerceClient, core_url: str
                      ) -> tuple[SetupProblem | None, Whoami | None]:
    """What is wrong (if anything), and who the core says this kiosk is."""
    try:
        whoami = await client.call(Api.whoami())
    except (Unauthorized, Forbidden):
        return SetupProblem(NOT_KNOWN, blocking=True), None
    except Unavailable:
        return SetupProblem(NOT_ANSWERING, blocking=False, values={"url": core_url}), None
    except CommerceError:
        return None, None  # the core answered: whatever this is, the screens say it
    if whoami.device.kind is not DeviceKind.KIOSK:
        return SetupProblem(NOT_A_KIOSK, blocking=True,
                            values={"kind": whoami.device.kind.value}), whoami
    return None, whoami
