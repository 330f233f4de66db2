"""Our ESC/POS bytes as a printer reads them: every document sent to emupos (a
simulator nobody here wrote) on an 80 mm 512-dot, an 80 mm 576-dot and a 58 mm
printer, its text dump checked for €, the accents, · and —, the layout, the cut
and the drawer kick, its rendered image for the centring and (with zxing-cpp)
the return QR."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from copy import deepcopy
from datetime import UTC, datetime

import pytest
import zxingcpp
from escpos.capabilities import Profile, get_profile_class
from escpos.printer import Dummy
from PIL import Image, ImageOps

from pos.till_report import report_lines
from shared.money import format_money
from shared.printers import paper_of
from shared.receipt import print_lines, print_receipt, print_return_receipt
from tests.unit.emulator import ESCPOS_PROFILE, PRINTERS, EmuPos, Printed
from tests.unit.receipt_samples import (
    COFFEE,
    MOKA,
    RECEIPT_CODE,
    SOCKS,
    STORE,
    refunded_return,
    sale,
    split_sale,
    till_report,
)

ACCENTS = ("€", "è", "à", "ù", "é", "·", "—")
REPRINTED_AT = datetime(2025, 5, 12, 13, 0, tzinfo=UTC)  # 15:00 in Milan


@pytest.fixture(scope="module")
def emupos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmuPos]:
    emulator = EmuPos(tmp_path_factory.mktemp("emupos"))
    yield emulator
    emulator.stop()


def _bytes(device: str, job: Callable[[Dummy], None], profile: str | None = None) -> bytes:
    printer = Dummy(profile=profile or ESCPOS_PROFILE[device])
    job(printer)
    return printer.output


def _flat(printed: Printed) -> str:
    return " ".join(printed.text.split())


def _words(printed: Printed) -> str:
    """The text dump as running words, so a name wrapped over two lines reads whole
    (amounts, which sit at the end of an item's first line, taken out)."""
    lines = [re.sub(r"\s+-?[\d.]+,\d\d €$", "", line) for line in printed.text.splitlines()]
    return " ".join(" ".join(lines).split())


def _qr(printed: Printed) -> list[tuple[str, float]]:
    """Each QR on the rendered receipt: its text and the x of its centre, in dots."""
    found = []
    for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(printed.png))):
        corners = (result.position.top_left, result.position.top_right,
                   result.position.bottom_left, result.position.bottom_right)
        found.append((result.text, sum(p.x for p in corners) / 4))
    return found


def _clean(emupos: EmuPos, before: str) -> None:
    """emupos understood every command and code page we sent."""
    logged = emupos.events()[len(before):]
    assert "unsupported" not in logged and "unknown" not in logged, logged


DOCUMENTS: dict[str, Callable[[Dummy], None]] = {
    "sale": lambda p: print_receipt(p, sale(), STORE, points_balance=1240),
    "split tender": lambda p: print_receipt(p, split_sale(), STORE),
    "return": lambda p: print_return_receipt(p, *refunded_return()[:1], STORE,
                                             items=refunded_return()[1]),
    "reprint": lambda p: print_receipt(p, sale(), STORE, copy_at=REPRINTED_AT,
                                       open_drawer=False),
    "X report": lambda p: print_lines(p, lambda width: report_lines(
        till_report("X"), format_money, str, width)),
    "Z report": lambda p: print_lines(p, lambda width: report_lines(
        till_report("Z"), format_money, str, width)),
}

EXPECTED = {
    "sale": [COFFEE, SOCKS, MOKA, "TOTALE EUR 63,02 €", "Contanti 100,00 €",
             "Resto 36,98 €", "Saldo punti 1240", "Reso entro 30 giorni"],
    "split tender": ["Carta 50,00 €", "Contanti 50,00 €", "Resto 36,98 €"],
    "return": ["Reso MI01-R-000045", "20/05/2025 18:45", SOCKS, "integro", MOKA,
               "danneggiato", "TOTALE RIMBORSO 46,36 €", "8,36 €", "Carta 30,00 €",
               "Contanti restituiti 16,36 €"],
    "reprint": ["*** COPIA ***", "ristampa del 12/05/2025 15:00", "TOTALE EUR 63,02 €"],
    "X report": ["X REPORT", "Expected cash in drawer 887,42 €"],
    "Z report": ["Z REPORT", "Counted cash 882,42 €", "Variance -5,00 €"],
}


@pytest.mark.parametrize("device", list(PRINTERS))
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_every_document_reads_right_on_every_printer(emupos: EmuPos, device: str,
                                                     document: str) -> None:
    probe = Dummy(profile=ESCPOS_PROFILE[device])
    columns = paper_of(probe).columns
    data = _bytes(device, DOCUMENTS[document])
    before = emupos.events()
    printed = emupos.print_bytes(device, data)
    _clean(emupos, before)
    if probe.profile.supports("paperFullCut") or probe.profile.supports("paperPartCut"):
        assert printed.boundary == "cut"
    else:  # no cutter (a 58 mm printer's tear bar): fed clear of it instead
        assert b"\x1dV" not in data and b"\x1bd\x06" in data
    assert "\ufffd" not in printed.text  # no byte printed as a box
    assert max(len(line) for line in printed.text.splitlines()) <= columns
    assert "-" * columns in printed.text  # the rules span the paper: its full width is used
    words, flat = _words(printed), _flat(printed)
    for expected in EXPECTED[document]:
        assert expected in words or expected in flat, (expected, printed.text)
    if document in ("sale", "split tender", "reprint"):
        assert [text for text, _ in _qr(printed)] == [RECEIPT_CODE]
    if "report" not in document:
        assert STORE.address in words


@pytest.mark.parametrize("device", list(PRINTERS))
def test_euro_and_the_accents_come_back_from_the_printer(emupos: EmuPos, device: str) -> None:
    """One code page, chosen from the profile (WPC1252), after ESC @ at the start
    of the job: € prints as € from the first line, not only after an em dash."""
    data = _bytes(device, DOCUMENTS["sale"])
    assert data.startswith(b"\x1b@\x1bt\x10")  # ESC @, ESC t 16 (WPC1252)
    assert data.count(b"\x1bt") == 1  # and no automatic switching afterwards
    printed = emupos.print_bytes(device, data)
    for char in ACCENTS:
        assert char in printed.text, char
    assert printed.text.count("€") >= 12


def test_a_printer_without_1252_gets_pc858(emupos: EmuPos) -> None:
    """PC858 has € and the accented letters; what it lacks (—) prints as -."""
    data = deepcopy(get_profile_class("TM-T88V").profile_data)
    data["codePages"] = {n: name for n, name in data["codePages"].items() if name != "CP1252"}
    profile = type("NoWpc1252", (Profile,), {"profile_data": data})
    printer = Dummy(profile=profile())
    print_receipt(printer, sale(), STORE)
    assert printer.output.startswith(b"\x1b@\x1bt\x13")  # ESC t 19: PC858
    printed = emupos.print_bytes("t88v", printer.output)
    assert "\ufffd" not in printed.text
    for char in ("€", "è", "à", "ù", "·"):
        assert char in printed.text, char
    assert "più forte - 250 g" in _words(printed)


@pytest.mark.parametrize("device", list(PRINTERS))
def test_text_and_qr_are_centred_on_the_paper(emupos: EmuPos, device: str) -> None:
    """The layout takes the profile's width: on a 576-dot printer 48 columns, not 42
    left of centre; the QR centred on the dots the paper has."""
    printed = emupos.print_bytes(device, _bytes(device, DOCUMENTS["split tender"]))
    image = Image.open(io.BytesIO(printed.png))
    left, _, right, _ = ImageOps.invert(image.convert("L")).getbbox()  # type: ignore[misc]
    margin_left, margin_right = left, printed.width_dots - right
    assert abs(margin_left - margin_right) <= 12, (margin_left, margin_right)
    [(_, centre)] = _qr(printed)
    assert abs(centre - printed.width_dots / 2) <= 6, (centre, printed.width_dots)


def test_a_cash_sale_opens_the_drawer_after_the_cut(emupos: EmuPos) -> None:
    emupos.close_drawer("p58")
    data = _bytes("p58", DOCUMENTS["sale"])
    assert data.endswith(b"\x1bp\x0022")  # ESC p 0: pin 2, after the cut
    emupos.print_bytes("p58", data)
    assert emupos.state("p58")["drawer"] == "open"
    emupos.close_drawer("p58")
    emupos.print_bytes("p58", _bytes("p58", DOCUMENTS["reprint"]))
    assert emupos.state("p58")["drawer"] == "closed"  # a reprint does not open it
