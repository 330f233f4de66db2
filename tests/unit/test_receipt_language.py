"""A receipt prints in the language asked for (``OMNITILL_RECEIPT_LANGUAGE``,
issue 16 item 3) and keeps in Italian the words Italian law asks of it: who
issues it (P.IVA), that it is not the fiscal document, and the VAT it holds.
Read back from the printer's bytes by emupos, as the customer gets it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from escpos.printer import Dummy

from shared.receipt import print_receipt, receipt_lines, return_receipt_lines
from tests.unit.emulator import ESCPOS_PROFILE, EmuPos
from tests.unit.receipt_samples import STORE, refunded_return, sale

LEGAL = ("DOCUMENTO NON FISCALE", "Ricevuta di cortesia", "di cui IVA 22% su", "Totale IVA")
STORE_WITH_VAT = STORE.model_copy(update={"legal_name": "Portico S.p.A.",
                                          "vat_number": "00743110157"})


def test_a_sale_receipt_in_spanish_keeps_the_legal_italian_words() -> None:
    text = "\n".join(receipt_lines(sale(), STORE_WITH_VAT, language="es"))
    for words in (*LEGAL, "P.IVA 00743110157", "Tique MI01-000123", "TOTAL EUR", "Efectivo",
                  "Cambio", "Puntos ganados", "¡Gracias y hasta pronto!",
                  "Recibo de cortesía, no fiscal"):
        assert words in text, words
    for italian in ("Scontrino", "Contanti", "Resto", "Grazie e arrivederci"):
        assert italian not in text, italian


def test_a_return_receipt_in_spanish_keeps_the_legal_italian_words() -> None:
    ret, items = refunded_return()
    text = "\n".join(return_receipt_lines(ret, STORE_WITH_VAT, items=items, language="es"))
    for words in (*LEGAL, "Devolución MI01-R-000045", "Tique original MI01-000123",
                  "TOTAL REEMBOLSO", "Efectivo devuelto", "Firma del cliente", "dañado"):
        assert words in text, words
    assert "Reso" not in text and "TOTALE RIMBORSO" not in text


def test_the_italian_receipt_is_the_default_and_says_nothing_twice() -> None:
    text = "\n".join(receipt_lines(sale(), STORE))
    assert "Scontrino MI01-000123" in text and "Grazie e arrivederci!" in text
    assert "(" not in text.split("Scontrino")[0]  # no second, translated "not fiscal" line


def test_an_english_receipt_says_it_in_english_too() -> None:
    text = "\n".join(receipt_lines(sale(), STORE, language="en"))
    assert "Receipt MI01-000123" in text and "Thank you, goodbye!" in text
    assert "DOCUMENTO NON FISCALE" in text and "(Courtesy receipt, not a fiscal document)" in text


@pytest.fixture(scope="module")
def emupos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmuPos]:
    emulator = EmuPos(tmp_path_factory.mktemp("emupos-language"))
    yield emulator
    emulator.stop()


@pytest.mark.parametrize("device", ["t88v", "p58"])
def test_the_printed_spanish_receipt_reads_back_with_its_accents(emupos: EmuPos,
                                                                  device: str) -> None:
    printer = Dummy(profile=ESCPOS_PROFILE[device])
    print_receipt(printer, sale(), STORE_WITH_VAT, language="es")
    flat = " ".join(emupos.print_bytes(device, printer.output).text.split())
    for words in ("DOCUMENTO NON FISCALE", "P.IVA 00743110157", "Totale IVA 10,80 €",
                  "Tique MI01-000123", "¡Gracias y hasta pronto!", "Devoluciones en 30 días"):
        assert words in flat, (words, flat)
