"""Issue 13 item 7 (a): who issues the receipt, and that an ESC/POS printout says
it is not the fiscal document. Read back from the bytes by emupos (an
independent decoder), on 80 mm and 58 mm paper."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from escpos.printer import Dummy

from core.seed.demo_data import DemoStore, load_demo_data
from core.stores.legal import format_partita_iva, is_valid_partita_iva, partita_iva_check_digit
from shared.receipt import print_receipt, print_return_receipt, receipt_lines
from tests.unit.emulator import ESCPOS_PROFILE, EmuPos
from tests.unit.receipt_samples import STORE, refunded_return, sale

FRANCHISE = STORE.model_copy(update={
    "code": "TO01", "name": "Portico Torino Via Roma", "kind": "franchise",
    "address": "Via Roma 305, 10123 Torino", "legal_name": "Sabauda Moda S.r.l.",
    "vat_number": "09876540015", "legal_address": "Corso Francia 8, 10143 Torino"})


@pytest.mark.parametrize("number", ["00743110157", "IT00743110157", "IT 0074311015 7",
                                    "12345670017"])
def test_a_right_partita_iva_passes(number: str) -> None:
    assert is_valid_partita_iva(number)
    assert len(format_partita_iva(number)) == 11


@pytest.mark.parametrize("number", ["00743110158", "0074311015", "007431101570",
                                    "00000000000", "ABCDEFGHIJK", ""])
def test_a_wrong_partita_iva_is_refused(number: str) -> None:
    assert not is_valid_partita_iva(number)
    with pytest.raises(ValueError, match=r"not a valid P\.IVA"):
        format_partita_iva(number)


def test_the_check_digit_doubles_the_even_places() -> None:
    # 0074311015: odd places 0,7,3,1,1 = 12; even places 0,4,1,0,5 doubled = 0,8,2,0,1 = 11
    assert partita_iva_check_digit("0074311015") == 7


def test_every_demo_store_with_a_till_has_its_legal_entity() -> None:
    stores = {s.code: s for s in load_demo_data().stores if s.has_till}
    assert all(is_valid_partita_iva(s.vat_number) and s.legal_name for s in stores.values())
    own = {stores[c].vat_number for c in stores if stores[c].kind == "own"}
    assert len(own) == 1  # the chain's company
    assert len({stores["TO01"].vat_number, stores["FI01"].vat_number} | own) == 3


def test_a_demo_store_with_a_wrong_partita_iva_is_refused() -> None:
    with pytest.raises(ValueError, match=r"P\.IVA"):
        DemoStore(code="XX01", name="x", kind="own", address="", city="", timezone="UTC",
                  currency="EUR", lat=0, lon=0, has_till=True, vat_number="12345678901")


def test_the_receipt_names_the_franchisee_and_its_vat() -> None:
    lines = [line.strip() for line in receipt_lines(sale(), FRANCHISE)]
    header = lines[:lines.index("Scontrino MI01-000123")]
    assert header == ["Portico Torino Via Roma", "Via Roma 305, 10123 Torino",
                      "Sabauda Moda S.r.l.", "Corso Francia 8, 10143 Torino",
                      "P.IVA 09876540015", "DOCUMENTO NON FISCALE", "Ricevuta di cortesia"]


def test_the_total_vat_line_is_the_sum_of_the_rates() -> None:
    order = sale()
    lines = receipt_lines(order, FRANCHISE)
    total_vat = next(line for line in lines if "Totale IVA" in line)
    assert total_vat.split()[-2] == "10,80" == f"{order.tax_cents / 100:.2f}".replace(".", ",")
    assert sum(t.tax_cents for t in order.tax_breakdown) == order.tax_cents


@pytest.fixture(scope="module")
def emupos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmuPos]:
    emulator = EmuPos(tmp_path_factory.mktemp("emupos-legal"))
    yield emulator
    emulator.stop()


@pytest.mark.parametrize("device", ["t88v", "p58"])
def test_the_printed_sale_and_return_say_non_fiscal_and_who_issued_them(
        emupos: EmuPos, device: str) -> None:
    ret, items = refunded_return()
    for job, expected in (
            (lambda p: print_receipt(p, sale(), FRANCHISE), "Totale IVA 10,80 €"),
            (lambda p: print_return_receipt(p, ret, FRANCHISE, items=items),
             "Totale IVA 8,36 €")):
        printer = Dummy(profile=ESCPOS_PROFILE[device])
        job(printer)
        flat = " ".join(emupos.print_bytes(device, printer.output).text.split())
        for text in ("DOCUMENTO NON FISCALE", "Ricevuta di cortesia", "Sabauda Moda S.r.l.",
                     "P.IVA 09876540015", expected):
            assert text in flat, (text, flat)
