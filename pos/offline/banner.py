"""The till's header line about the link to the core: OFFLINE in a colour nobody
misses, with the sales waiting; while they replay it counts them down; when the
link is up and nothing waits it takes no room at all."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Label

from pos.offline.link import OfflineTill

Words = Callable[..., str]
"""The till's translator (``app.t``): an English message in the till's language."""


def _english(message: str, **values: object) -> str:
    return message.format(**values)


def banner_text(offline: OfflineTill, t: Words = _english) -> str:
    parts = [_link_text(offline, t)]
    if offline.review:
        parts.append(t("{count} refused sales need a supervisor (Ctrl+R)", count=offline.review)
                     if offline.review != 1 else t("1 refused sale needs a supervisor (Ctrl+R)"))
    if offline.conflicts:
        parts.append(t("{count} replayed sales with a stock conflict (Ctrl+R)",
                       count=offline.conflicts) if offline.conflicts != 1
                     else t("1 replayed sale with a stock conflict (Ctrl+R)"))
    return " — ".join(part for part in parts if part)


def _link_text(offline: OfflineTill, t: Words) -> str:
    waiting = offline.pending
    if offline.active:
        return t("OFFLINE — selling from this till alone (cash only) — {count} sales waiting",
                 count=waiting) if waiting != 1 else t(
            "OFFLINE — selling from this till alone (cash only) — 1 sale waiting")
    if waiting:
        return t("Back online — sending offline sales: {count} sales waiting",
                 count=waiting) if waiting != 1 else t(
            "Back online — sending offline sales: 1 sale waiting")
    if not offline.synced and offline.copied:
        if offline.total >= offline.copied:
            return t("Copying the catalog to this till… {copied} of {total} products",
                     copied=f"{offline.copied:,}", total=f"{offline.total:,}")
        return t("Copying the catalog to this till… {copied} products",
                 copied=f"{offline.copied:,}")
    return ""


class OfflineBanner(Label):
    """Shows :func:`banner_text` for the app's :class:`OfflineTill` (nothing when the
    till has no local store)."""

    DEFAULT_CSS = """
    OfflineBanner { width: 100%; height: auto; padding: 0 1; display: none; }
    OfflineBanner.-shown { display: block; }
    OfflineBanner.-offline { background: red; color: white; text-style: bold; }
    OfflineBanner.-replaying { background: $warning; color: black; text-style: bold; }
    OfflineBanner.-syncing { background: $primary-darken-2; }
    OfflineBanner.-review { background: $warning; color: black; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__("", id="offline-banner")
        self._stop: Callable[[], None] | None = None

    def on_mount(self) -> None:
        offline: OfflineTill | None = getattr(self.app, "offline", None)
        if offline is not None:
            self._stop = offline.listen(self.show_state)
            self.show_state()

    def on_unmount(self) -> None:
        if self._stop is not None:
            self._stop()

    def show_state(self) -> None:
        offline: OfflineTill | None = getattr(self.app, "offline", None)
        if offline is None:
            return
        text = banner_text(offline, getattr(self.app, "t", _english))
        self.update(text)
        self.set_class(bool(text), "-shown")
        self.set_class(offline.active, "-offline")
        self.set_class(not offline.active and offline.pending > 0, "-replaying")
        quiet = not offline.active and not offline.pending
        review = bool(offline.review or offline.conflicts)
        self.set_class(quiet and review, "-review")
        self.set_class(quiet and not review and bool(text), "-syncing")
