"""The printer's word on a job (shared.printers.run_job): status asked first, the
job confirmed after, the connection closed every time. Against emupos (paper
out, cover open, paper low, as its control API sets them) and against a fake
network printer that hangs up or runs out of paper midway."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from escpos.escpos import Escpos

from shared.printers import printer_from_config, run_job
from shared.receipt import print_lines, print_receipt
from tests.unit.emulator import EmuPos, free_port
from tests.unit.fake_printer import FakePrinter
from tests.unit.receipt_samples import STORE, sale

LINES = ["Scontrino di prova", "Caffè 1,50 €"]


@pytest.fixture(scope="module")
def emupos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmuPos]:
    emulator = EmuPos(tmp_path_factory.mktemp("emupos"))
    yield emulator
    emulator.stop()


@pytest.fixture
def fake() -> Iterator[list[FakePrinter]]:
    made: list[FakePrinter] = []
    yield made
    for printer in made:
        printer.close()


def _printer(config: str) -> Escpos:
    printer = printer_from_config(config)
    assert printer is not None
    return printer


def _receipt(printer: Escpos) -> None:
    print_receipt(printer, sale(), STORE, open_drawer=False)


def test_out_of_paper_prints_nothing_and_says_so(emupos: EmuPos) -> None:
    before = emupos.receipt_ids("t88v")
    emupos.fault("t88v", "paper-out")
    try:
        outcome = run_job(_printer(f"network:127.0.0.1:{emupos.ports['t88v']}"), _receipt)
    finally:
        emupos.fault("t88v", "paper-out", active=False)
    assert not outcome.printed and not outcome.reached_paper
    assert outcome.message == "Printer out of paper: load a new roll; nothing was printed."
    assert emupos.receipt_ids("t88v") == before  # nothing held back to print later either


def test_cover_open_is_told_apart_from_paper_out(emupos: EmuPos) -> None:
    emupos.fault("t88v", "cover-open")
    try:
        outcome = run_job(_printer(f"network:127.0.0.1:{emupos.ports['t88v']}"), _receipt)
    finally:
        emupos.fault("t88v", "cover-open", active=False)
    assert not outcome.printed and outcome.message.startswith("Printer cover open")


def test_a_job_the_printer_confirms_and_low_paper_is_mentioned(emupos: EmuPos) -> None:
    config = f"network:127.0.0.1:{emupos.ports['t20iii']},profile=TM-T20II"
    outcome = run_job(_printer(config), _receipt)
    assert outcome.printed and outcome.confirmed and outcome.message == "Receipt printed."
    emupos.fault("t20iii", "paper-near-end")
    try:
        outcome = run_job(_printer(config), _receipt)
    finally:
        emupos.fault("t20iii", "paper-near-end", active=False)
    assert outcome.printed and "Paper is running low" in outcome.message


def test_a_connection_dropped_midway_is_an_incomplete_receipt(fake: list[FakePrinter]) -> None:
    """The printer takes 600 bytes (no QR, no cut) and hangs up: not "printed"."""
    fake.append(printer := FakePrinter(drop_after=600))
    outcome = run_job(_printer(printer.config), _receipt)
    assert not outcome.printed and outcome.reached_paper
    assert "dropped mid-receipt" in outcome.message and "incomplete" in outcome.message
    assert b"\x1dV" not in printer.jobs[-1]


def test_paper_running_out_midway_is_reported(fake: list[FakePrinter]) -> None:
    fake.append(printer := FakePrinter(paper_out_after=40))
    outcome = run_job(_printer(printer.config), lambda p: print_lines(p, LINES * 5),
                      confirm_seconds=0.5)
    assert not outcome.printed and outcome.reached_paper
    assert outcome.message.startswith("Printer out of paper") and "midway" in outcome.message


def test_the_connection_is_closed_after_each_job(fake: list[FakePrinter]) -> None:
    """Not left to the garbage collector: the printer object is still alive here."""
    fake.append(printer := FakePrinter())
    escpos = _printer(printer.config)
    outcome = run_job(escpos, lambda p: print_lines(p, LINES))
    assert outcome.printed and outcome.confirmed
    assert printer.wait_hung_up(5), "the till kept the printer's connection open"
    assert escpos is not None


def test_a_printer_that_never_answers_status_is_not_called_confirmed(
        fake: list[FakePrinter]) -> None:
    fake.append(printer := FakePrinter(answers_status=False))
    outcome = run_job(_printer(printer.config), lambda p: print_lines(p, LINES),
                      status_seconds=0.2)
    assert outcome.printed and not outcome.confirmed
    assert outcome.message == "Receipt sent (this printer does not report its status)."


def test_nobody_listening_is_not_answering() -> None:
    outcome = run_job(_printer(f"network:127.0.0.1:{free_port()}"), _receipt)
    assert not outcome.printed and not outcome.reached_paper
    assert outcome.message.startswith("Printer not answering")
