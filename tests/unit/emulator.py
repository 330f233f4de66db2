"""emupos, a printer simulator nobody here wrote, as the independent reader of our
ESC/POS bytes and as a network printer that can be put out of paper.

emupos (PyPI) needs Python 3.13, so it lives in its own venv beside ``.venv``
(``make test`` creates ``.venv-emupos``; a test run without it creates it the
same way). Tests talk to it only from outside: ``emupos run`` in a subprocess
listens as TCP printers, we send bytes as a till would, and its control API
says what it printed (text dump, PNG image, how the job ended), its drawer and
its faults.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-emupos"
REQUIREMENT = "emupos>=0.4,<0.5"
"""The text dump and API these tests read are emupos 0.4's."""

TM_T88V = """\
# Epson TM-T88V, 80 mm: 512 dots at 180 dpi (TM-T88V technical reference), font A
# 12x24; ESC t numbers from the Epson ESC/POS reference ("ESC t").
type: printer
name: Epson TM-T88V
dpi: 180
width_dots: 512
font_a: { width: 12, height: 24 }
font_b: { width: 9, height: 17 }
code_pages: { 0: PC437, 2: PC850, 16: WPC1252, 19: PC858 }
default_code_page: 0
drawer_sensor_open_level: high
"""

PRINTER_58 = """\
# A 58 mm printer: 384 dots at 203 dpi, font A 12x24 (32 columns); Epson numbering.
type: printer
name: 58 mm printer
dpi: 203
width_dots: 384
font_a: { width: 12, height: 24 }
font_b: { width: 9, height: 17 }
code_pages: { 0: PC437, 2: PC850, 16: WPC1252, 19: PC858 }
default_code_page: 0
drawer_sensor_open_level: high
"""

PRINTERS = {"t88v": "./tm-t88v.yaml", "t20iii": "epson-tm-t20iii", "p58": "./p58.yaml"}
"""emupos device id -> profile; which python-escpos profile prints to which."""

ESCPOS_PROFILE = {"t88v": "TM-T88V", "t20iii": "TM-T20II", "p58": "NT-5890K"}


def python313() -> str | None:
    """A working Python 3.13: on PATH, or pyenv's (whose shim may not be active)."""
    candidates = [os.environ.get("EMUPOS_PYTHON", ""), shutil.which("python3.13") or ""]
    root = subprocess.run(["pyenv", "root"], capture_output=True, text=True,
                          check=False).stdout.strip() if shutil.which("pyenv") else ""
    candidates += sorted(glob.glob(f"{root}/versions/3.13*/bin/python3.13"), reverse=True)
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 13)"],
                          capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def emupos_command() -> Path:
    """``.venv-emupos/bin/emupos``, made if missing; skips only without Python 3.13."""
    command = VENV / "bin" / "emupos"
    if command.exists():
        return command
    python = python313()
    if python is None:
        pytest.skip("python3.13 is not installed: emupos, the independent ESC/POS decoder, "
                    "needs it (install 3.13 and run `make test`)")
    with open(Path(tempfile.gettempdir()) / "omnitill-emupos.lock", "w") as lock:  # one installs
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not command.exists():
            subprocess.run([python, "-m", "venv", str(VENV)], check=True)
            subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", REQUIREMENT],
                           check=True)
    return command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Printed:
    """One job as emupos printed it."""

    text: str
    png: bytes
    boundary: str
    width_dots: int


class EmuPos:
    """A running ``emupos run`` with the printers of :data:`PRINTERS`."""

    def __init__(self, workdir: Path) -> None:
        command = emupos_command()
        (workdir / "tm-t88v.yaml").write_text(TM_T88V)
        (workdir / "p58.yaml").write_text(PRINTER_58)
        self.ports = {device: free_port() for device in PRINTERS}
        api = free_port()
        devices = "".join(
            f"  - id: {device}\n    type: printer\n    profile: {profile}\n"
            f"    connections:\n      - tcp: {{ port: {self.ports[device]} }}\n"
            f"    receipts_dir: ./receipts\n"
            for device, profile in PRINTERS.items())
        (workdir / "emupos.yaml").write_text(
            f"schema: 1\napi: {{ host: 127.0.0.1, port: {api} }}\ndevices:\n{devices}")
        self.log = (workdir / "emupos.log").open("w")
        self.process = subprocess.Popen([str(command), "run", "--config", "emupos.yaml"],
                                        cwd=workdir, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1",
                                             "COLUMNS": "200", "NO_COLOR": "1"})
        self.api = httpx.Client(base_url=f"http://127.0.0.1:{api}/api/v1", timeout=10)
        self._wait(lambda: self._healthy(), "emupos to answer", 30)

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"emupos exited: {self.events()}")
        try:
            return self.api.get("/health").status_code == 200
        except httpx.TransportError:
            return False

    @staticmethod
    def _wait(ready: Callable[[], object], what: str, seconds: float = 10) -> None:
        wait_for(ready, what, seconds)

    def stop(self) -> None:
        self.api.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    # -- what a test does ------------------------------------------------------------------

    def receipt_ids(self, device: str) -> list[str]:
        return [r["id"] for r in self.api.get(f"/devices/{device}/receipts").json()]

    def print_bytes(self, device: str, data: bytes) -> Printed:
        """Send a job as a till does (one connection, closed after), and read back the
        receipt emupos printed from it."""
        before = set(self.receipt_ids(device))
        with socket.create_connection(("127.0.0.1", self.ports[device]), timeout=5) as link:
            link.sendall(data)

        def new() -> list[str]:
            return sorted(set(self.receipt_ids(device)) - before)

        self._wait(lambda: bool(new()), f"{device} to finish the job")
        return self.receipt(device, new()[0])

    def receipt(self, device: str, receipt_id: str) -> Printed:
        info = self.api.get(f"/devices/{device}/receipts/{receipt_id}").json()
        text = self.api.get(f"/devices/{device}/receipts/{receipt_id}/text").text
        png = self.api.get(f"/devices/{device}/receipts/{receipt_id}/image").content
        return Printed(text, png, info["boundary"], info["width_dots"])

    def events(self) -> str:
        """What emupos logged so far: jobs, drawer kicks, and any command or code page
        it did not understand (``printer.command.unknown``, ``...codepage.unsupported``)."""
        return Path(self.log.name).read_text()

    def state(self, device: str) -> dict[str, object]:
        return dict(self.api.get(f"/devices/{device}").json()["state"])

    def fault(self, device: str, fault: str, active: bool = True) -> None:
        call = self.api.put if active else self.api.delete
        assert call(f"/devices/{device}/faults/{fault}").status_code == 204

    def close_drawer(self, device: str) -> None:
        assert self.api.post(f"/devices/{device}/drawer/close").status_code == 204
