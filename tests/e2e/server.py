"""Start a real core (uvicorn in a subprocess, free port) for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_core(url: str, var_dir: Path, *, secret: str, workers: int = 1,
                 extra_env: dict[str, str] | None = None,
                 factory: str = "core.app:create_app") -> Iterator[str]:
    port = free_port()
    env = os.environ | {
        "OMNITILL_DATABASE_URL": url, "OMNITILL_SECRET": secret,
        "OMNITILL_VAR_DIR": str(var_dir), "OMNITILL_EVENT_POLL_SECONDS": "0.1",
    } | (extra_env or {})
    log = (var_dir / f"core-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", factory, "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError((var_dir / f"core-{port}.log").read_text())
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the core did not start in 90 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
