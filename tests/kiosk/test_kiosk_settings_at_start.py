"""A wrong setting stops the kiosk with one sentence that names what to fix, and
exit code 2 (issue 12, item 14), not a pydantic traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_kiosk(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "kiosk", "--url", "http://127.0.0.1:9"],
        env=os.environ | {"OMNITILL_DEVICE_TOKEN": "some-token"} | env, cwd=ROOT,
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_a_language_the_kiosk_does_not_speak_is_one_sentence_and_exit_2() -> None:
    done = start_kiosk(OMNITILL_LANGUAGE="fr")
    assert done.returncode == 2, done.stderr
    said = done.stderr.strip()
    assert "Traceback" not in said and len(said.splitlines()) == 1, said
    assert "OMNITILL_LANGUAGE" in said and "'fr'" in said
    assert all(code in said for code in ("it", "en", "es")), said


def test_a_number_that_is_not_one_is_said_too() -> None:
    done = start_kiosk(OMNITILL_IDLE_SECONDS="soon")
    assert done.returncode == 2, done.stderr
    assert "OMNITILL_IDLE_SECONDS" in done.stderr and "Traceback" not in done.stderr
