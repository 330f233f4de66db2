"""Where a request's CPU goes, in process, every thread counted (yappi, CPU clock).

The checkout's rate is bounded by CPU per order, and a sampling profile of a
loaded server mixes in waiting and the load generator. This runs the requests of
:mod:`bench.statements` one after another and prints, per request: the CPU
time, how many Python calls it made (a count that does not depend on how busy
the machine is, so a before and an after compare exactly), the share of CPU by
library, and Omnitill's functions by time spent in and under them.

    .venv/bin/python -m bench.profile ["web delivery order, 1 line"] [--repeat 200]

yappi roughly quadruples the time measured; compare shares and counts, and take
plain CPU per request from :mod:`bench.statements`.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

import yappi

from bench.statements import requests

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("sqlalchemy", "fastapi", "starlette", "pydantic", "anyio", "httpx", "asyncio",
             "uvicorn", "threading", "json", "core", "shared")
"""The buckets of the "by library" line; anything else is "other"."""


def _library(module: str) -> str:
    parts = Path(module).parts
    for name in LIBRARIES:
        if name in parts or Path(module).stem == name:
            return name
    return "other"


def profile(case: str, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder, \
            requests(f"sqlite:///{folder}/profile.db", Path(folder)) as (_db, cases):
        if case not in cases:
            raise SystemExit(f"no request {case!r}; one of: {', '.join(cases)}")
        call = cases[case]
        for i in range(20):  # statement caches warm, pools filled
            call(i).raise_for_status()
        yappi.set_clock_type("cpu")
        yappi.clear_stats()
        yappi.start(builtins=False)
        for i in range(repeat):
            call(20 + i).raise_for_status()
        yappi.stop()
        stats = list(yappi.get_func_stats())
    total = sum(s.tsub for s in stats)
    calls = sum(s.ncall for s in stats)
    own: Counter[str] = Counter()
    for s in stats:
        own[_library(s.module)] += s.tsub
    print(f"{case}: {total / repeat * 1000:.2f} ms CPU per request under yappi, "
          f"{calls / repeat:.0f} Python calls per request")
    print("by library (time in its own code): " + ", ".join(
        f"{name} {t / total:.0%}" for name, t in own.most_common() if t / total >= 0.005))
    print(f"{'share':>6} {'calls':>6}  Omnitill function (time in it and under it)")
    ours = sorted((s for s in stats if _library(s.module) in ("core", "shared")),
                  key=lambda s: s.ttot, reverse=True)
    for s in ours[:25]:
        where = Path(s.module).relative_to(ROOT).as_posix()
        print(f"{s.ttot / total:6.1%} {s.ncall / repeat:6.1f}  {s.name} ({where}:{s.lineno})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", nargs="?", default="web delivery order, 1 line")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    profile(args.case, args.repeat)


if __name__ == "__main__":
    main()
