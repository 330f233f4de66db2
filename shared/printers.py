"""Receipt printers: built from one configuration string, and asked whether a job
came out.

``OMNITILL_PRINTER`` is ``KIND:TARGET[,profile=NAME]``: ``network:HOST[:PORT]``,
``usb:VID:PID`` (hex), ``serial:/dev/ttyUSB0``, ``file:/path`` or ``none``. Every
kind is python-escpos's own printer class. ``profile`` names the python-escpos
printer profile, which says the paper (see :data:`PROFILES`): the receipt is laid
out at its columns, the QR centred on its dots, and € printed from a Western code
page it lists (never python-escpos' automatic choice, which picks whatever page
it meets first holding the character, a Greek one for €).

A job is never taken on trust (:func:`run_job`): where the connection can read
(network, USB, serial), the printer's real-time status (DLE EOT) is asked first,
so a printer out of paper or with its cover open prints nothing and says why;
after the job a ``GS r`` request, which the printer answers only once it has
processed everything before it, confirms the receipt came out. A connection
that drops midway is reported as an incomplete receipt. The connection is
closed after every job.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from escpos.capabilities import get_profile
from escpos.constants import RT_STATUS, RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.escpos import Escpos
from escpos.printer import File, Network, Serial, Usb

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILE",
    "PROFILES",
    "JobOutcome",
    "Paper",
    "PrinterConfigError",
    "close_quietly",
    "connect",
    "fit_to_code_page",
    "paper_of",
    "printer_from_config",
    "run_job",
]

DEFAULT_PROFILE = "TM-T88V"
PROFILE = DEFAULT_PROFILE
"""Kept for callers that name the default profile (tests' Dummy printers)."""

PROFILES = {
    "TM-T88V": "80 mm, 512 dots at 180 dpi, 42 columns (Epson TM-T88IV/V class)",
    "TM-T20II": "80 mm, 576 dots at 203 dpi, 48 columns (Epson TM-T20II/III, TM-T82 class)",
    "NT-5890K": "58 mm, 384 dots at 203 dpi, 32 columns (small-shop 58 mm printers)",
}
"""The python-escpos profiles the receipts are tested on; any other profile with a
known width and a Western code page works the same way."""

WESTERN_CODE_PAGES = (("CP1252", "cp1252"), ("CP858", "cp858"))
"""WPC1252 first (it has €, the accented letters, · and —), then PC858 (€ and the
letters; — is printed as -). Names as python-escpos' profiles spell them."""

FONT_A_DOTS = 12
"""Font A is 12 dots wide on every Epson-class printer these profiles describe."""

STATUS_SECONDS = 1.0
"""How long a real-time status request waits: a printer that answers does so at
once, so silence this long means it does not answer status at all."""

CONFIRM_SECONDS = 8.0
"""How long the end-of-job request waits for the printer to work through the job
(a long receipt with its QR takes one or two seconds on a TM printer)."""

TYPOGRAPHY = {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...",
              "\xa0": " ", "\u202f": " ", "·": "."}
"""Stand-ins for characters a code page lacks, so nothing prints as ``?``."""

# DLE EOT n replies (Epson ESC/POS reference, "DLE EOT"): one byte each.
_OFFLINE = 0x08           # n=1 bit 3
_COVER_OPEN = 0x04        # n=2 bit 2
_PAPER_END_STOP = 0x20    # n=2 bit 5: printing stopped by paper end
_PAPER_NEAR_END = 0x0C    # n=4 bits 2-3
_PAPER_NOT_PRESENT = 0x60  # n=4 bits 5-6
_RT_STATUS_OFFLINE_CAUSE = RT_STATUS + b"\x02"
_GS_R_PAPER = b"\x1dr\x01"  # GS r 1: answered after the data before it is processed


class PrinterConfigError(ValueError):
    pass


class PrinterDropped(ConnectionError):
    """The printer closed the connection (EOF where a status byte was due)."""


@dataclass(frozen=True, slots=True)
class Paper:
    """What a printer profile says about the paper a document is laid out for."""

    profile: str
    columns: int
    width_dots: int
    code_page: str
    codec: str
    code_page_number: int
    """Its ``ESC t`` number: the lowest the profile gives it (Epson's standard
    16 for WPC1252, 19 for PC858; some profiles list a vendor's alias too)."""


def paper_of(printer: Escpos) -> Paper:
    """The paper of this printer's profile, with the Western code page it lists."""
    data = printer.profile.profile_data
    columns = int(data["fonts"]["0"]["columns"])
    pixels = data["media"]["width"]["pixels"]
    width = int(pixels) if str(pixels).isdigit() else columns * FONT_A_DOTS
    pages = data["codePages"]
    for code_page, codec in WESTERN_CODE_PAGES:
        numbers = sorted(int(n) for n, name in pages.items() if name == code_page)
        if numbers:
            return Paper(data.get("name", ""), columns, width, code_page, codec, numbers[0])
    raise PrinterConfigError(f"printer profile {data.get('name')!r} lists neither WPC1252 nor "
                             "PC858, so it cannot print € and accents: choose another profile")


def fit_to_code_page(text: str, paper: Paper) -> str:
    """Text the code page can print: typographic stand-ins where it lacks a character."""
    out = []
    for char in text:
        try:
            char.encode(paper.codec)
        except UnicodeEncodeError:
            char = TYPOGRAPHY.get(char, "?")
        out.append(char)
    return "".join(out)


def printer_from_config(config: str) -> Escpos | None:
    """Build the printer (without connecting: that happens when a job starts)."""
    config, options = _options(config)
    profile = options.pop("profile", DEFAULT_PROFILE)
    if options:
        raise PrinterConfigError(f"unknown printer option {next(iter(options))!r}: the only "
                                 "option is profile=NAME")
    try:
        get_profile(profile)
    except KeyError as exc:
        raise PrinterConfigError(f"unknown printer profile {profile!r}; tested profiles: "
                                 f"{', '.join(PROFILES)}") from exc
    kind, _, rest = config.strip().partition(":")
    kind = kind.lower()
    if kind in ("", "none"):
        return None
    if kind == "network":
        host, _, port = rest.partition(":")
        if not host:
            raise PrinterConfigError("network printers need a host: network:HOST[:PORT]")
        return Network(host, port=int(port or 9100), timeout=5, profile=profile)
    if kind == "usb":
        vendor, _, product = rest.partition(":")
        try:
            return Usb(int(vendor, 16), int(product, 16), timeout=5000, profile=profile)
        except ValueError as exc:
            raise PrinterConfigError("usb printers are usb:VID:PID in hex, e.g. "
                                     "usb:04b8:0202") from exc
    if kind == "serial":
        return Serial(rest or "/dev/ttyUSB0", profile=profile)
    if kind == "file":
        if not rest:
            raise PrinterConfigError("file printers need a path: file:/path")
        return File(rest, profile=profile)
    raise PrinterConfigError(f"unknown printer kind {kind!r}: use network, usb, serial, file "
                             "or none")


def _options(config: str) -> tuple[str, dict[str, str]]:
    """``network:host:9100,profile=TM-T20II`` -> the printer part and its options."""
    parts = config.split(",")
    options: dict[str, str] = {}
    while len(parts) > 1 and "=" in parts[-1]:
        key, _, value = parts.pop().partition("=")
        options[key.strip().lower()] = value.strip()
    return ",".join(parts), options


# -- a job, and the printer's word on it -----------------------------------------------


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """What became of a job, in words the cashier can act on.

    ``printed`` is True when the receipt came out (or, on a printer that cannot
    say, was handed over whole); ``reached_paper`` when at least part of it may
    have, so printing it again makes a copy.
    """

    printed: bool
    reached_paper: bool
    message: str
    confirmed: bool = False
    cause: str = ""
    """The driver's exception, if one ended the job (for a short report)."""


def run_job(printer: Escpos, write: Callable[[Escpos], None], *, what: str = "receipt",
            confirm_seconds: float = CONFIRM_SECONDS,
            status_seconds: float = STATUS_SECONDS) -> JobOutcome:
    """Run one job: ask the printer first, send, have it confirmed, close.
    ``what`` names the document in what the cashier is told.

    Blocking (it waits on the printer): run it in a thread, never on a UI loop.
    """
    readable = _can_read(printer)
    reached = False
    try:
        connect(printer)
        answers = readable
        if readable:
            fault = _fault_before(printer, status_seconds)
            if fault is None:
                answers = False
            elif fault:
                return JobOutcome(False, False, f"{fault}; nothing was printed.")
        reached = True
        write(printer)
        if not readable:
            return JobOutcome(True, True, f"{what.capitalize()} printed.")
        return _confirm(printer, answers, what, confirm_seconds, status_seconds)
    except (PrinterDropped, ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
        if reached:
            return JobOutcome(False, True, f"The printer connection dropped mid-{what}: the "
                              f"{what} is incomplete.")
        return JobOutcome(False, False, "The printer connection dropped; nothing was printed.")
    except Exception as exc:  # noqa: BLE001 - any driver fault is reported, never raised
        cause = exc.__class__.__name__
        if reached:
            return JobOutcome(False, True, f"The printer stopped mid-{what} ({cause}): the "
                              f"{what} is incomplete.", cause=cause)
        return JobOutcome(False, False, f"Printer not answering ({cause}); nothing was "
                          "printed.", cause=cause)
    finally:
        close_quietly(printer)


def _can_read(printer: Escpos) -> bool:
    """Whether this connection has a way back (python-escpos raises on the others)."""
    return type(printer)._read is not Escpos._read


def connect(printer: Escpos) -> None:
    """Open now (python-escpos opens on first use) so a dead printer fails here. A
    network printer's socket is opened here rather than by python-escpos, which
    leaves the socket of a refused connection for the garbage collector."""
    if isinstance(printer, Network) and not printer._device:
        printer.device = socket.create_connection((printer.host, printer.port),
                                                  timeout=printer.timeout)
        return
    _ = printer.device


def close_quietly(printer: Escpos) -> None:
    """Close the connection now (a socket left open holds the printer until the
    garbage collector runs); a dead one may fail to close, which changes nothing."""
    with contextlib.suppress(Exception):
        printer.close()


@contextmanager
def _read_timeout(printer: Escpos, seconds: float) -> Iterator[None]:
    """Wait ``seconds`` for a reply, whatever the connection's write timeout."""
    device = printer.device
    if isinstance(device, socket.socket):
        before = device.gettimeout()
        device.settimeout(seconds)
        try:
            yield
        finally:
            device.settimeout(before)
    elif hasattr(device, "timeout") and not callable(device.timeout):
        before = device.timeout
        device.timeout = seconds
        try:
            yield
        finally:
            device.timeout = before
    else:
        yield


def _ask(printer: Escpos, request: bytes, seconds: float) -> int | None:
    """One status byte through python-escpos' ``query_status``; None when the
    printer does not answer in time. A network printer's EOF is a dropped line."""
    try:
        with _read_timeout(printer, seconds):
            reply = printer.query_status(request)
    except Exception as exc:
        if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
            return None
        raise
    if not reply:
        if isinstance(printer, Network):
            raise PrinterDropped("the printer closed the connection")
        return None
    return int(reply[-1])


def _fault_before(printer: Escpos, seconds: float) -> str | None:
    """Why this printer cannot print now ("" when it can); None when it does not
    answer status at all. The same bits python-escpos' ``is_online`` and
    ``paper_status`` read, with silence told apart from "offline"."""
    online = _ask(printer, RT_STATUS_ONLINE, seconds)
    if online is None:
        return None
    if online & _OFFLINE:
        return _offline_cause(printer, seconds)
    paper = _ask(printer, RT_STATUS_PAPER, seconds)
    if paper is not None and paper & _PAPER_NOT_PRESENT == _PAPER_NOT_PRESENT:
        return "Printer out of paper: load a new roll"
    return ""


def _offline_cause(printer: Escpos, seconds: float) -> str:
    cause = _ask(printer, _RT_STATUS_OFFLINE_CAUSE, seconds) or 0
    paper = _ask(printer, RT_STATUS_PAPER, seconds) or 0
    if paper & _PAPER_NOT_PRESENT == _PAPER_NOT_PRESENT or cause & _PAPER_END_STOP:
        return "Printer out of paper: load a new roll"
    if cause & _COVER_OPEN:
        return "Printer cover open: close it"
    return "Printer offline: check it"


def _confirm(printer: Escpos, answers: bool, what: str, confirm_seconds: float,
             status_seconds: float) -> JobOutcome:
    """``GS r 1`` after the job: its answer means the printer worked through it."""
    if not answers:
        # It never answers status: all we can learn is whether it hung up on us.
        _ask(printer, _GS_R_PAPER, min(status_seconds, 0.3))
        return JobOutcome(True, True, f"{what.capitalize()} sent (this printer does not "
                          "report its status).")
    paper = _ask(printer, _GS_R_PAPER, confirm_seconds)
    if paper is not None:
        low = " Paper is running low: have a roll ready." if paper & 0x03 else ""
        return JobOutcome(True, True, f"{what.capitalize()} printed.{low}", confirmed=True)
    cause = _fault_before(printer, status_seconds)
    if cause:
        return JobOutcome(False, True, f"{cause}; the {what} stopped midway (the rest may "
                          "print once it is fixed: check it).")
    return JobOutcome(False, True, f"The printer did not confirm the {what}: check that it "
                      "came out.")
