"""``omnitill demo`` on a port of the user's choosing (``make demo PORT=8090``,
``OMNITILL_PORT``), and never "core running" when what answers on the port is
another program while its own core could not listen there (issue 12, item 16)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.e2e.server import free_port
from tests.support import SECRET, Seeded, wait_for

ROOT = Path(__file__).resolve().parents[2]


class _Impostor(BaseHTTPRequestHandler):
    """Another program on the port that answers every health check with 200."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def impostor() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Impostor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def demo_env(seeded: Seeded, var_dir: Path, **extra: str) -> dict[str, str]:
    """An already loaded demo (its device tokens written), so nothing is seeded."""
    var_dir.mkdir(exist_ok=True)
    (var_dir / "demo-devices.json").write_text(json.dumps(seeded.tokens))
    return os.environ | {"OMNITILL_DATABASE_URL": seeded.url, "OMNITILL_VAR_DIR": str(var_dir),
                         "OMNITILL_SECRET": SECRET} | extra


def test_a_port_another_program_answers_on_is_said_not_reported_running(  # type: ignore[no-untyped-def]
    seeded_sqlite, tmp_path: Path
) -> None:
    with impostor() as port:  # the port chosen as make demo PORT= passes it on
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", "demo", "--serve-only"], cwd=ROOT,
            env=demo_env(seeded_sqlite, tmp_path / "var", OMNITILL_PORT=str(port)),
            capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)
    assert "core running" not in done.stdout, done.stdout
    assert done.returncode == 1
    assert f"Port {port} is in use" in done.stderr and "PORT=" in done.stderr, done.stderr


def test_make_demo_passes_its_port_on() -> None:
    planned = subprocess.run(["make", "-n", "demo", "PORT=8090"], cwd=ROOT, capture_output=True,
                             text=True, timeout=30, check=True).stdout
    assert "omnitill demo --port 8090" in planned, planned
    default = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True,
                             timeout=30, check=True).stdout
    assert "--port" not in default, default


def test_a_demo_stopped_by_sigterm_stops_its_core(seeded_sqlite: Seeded, tmp_path: Path) -> None:
    """``kill`` of the demo (a service manager, a closed terminal) stops the core it
    started too: an orphaned core would keep the port and the database busy."""
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "demo", "--serve-only", "--port", str(port)],
        cwd=ROOT, env=demo_env(seeded_sqlite, tmp_path / "var"), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    health = f"http://127.0.0.1:{port}/v1/health"
    try:
        wait_for(lambda: _answers(health), "the demo's core to answer", 60)
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=30) == 0
        wait_for(lambda: not _answers(health), "the core to stop with the demo", 30)
    finally:
        with suppress(ProcessLookupError):  # whatever the demo left behind, on a failure
            os.killpg(demo.pid, signal.SIGKILL)
        demo.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
