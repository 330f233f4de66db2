"""Peak memory of the core under load and of each app: what a store's machine must hold.

The core is not one process: uvicorn's supervisor and its workers, and on
PostgreSQL the backends serving its connection pools. The peak here is the
largest sum over all of them seen at one sample (every 0.1 s while a case
runs). RSS counts pages shared between processes (PostgreSQL's shared buffers,
a forked worker's copy-on-write pages) once per process, so the sum is an
upper bound; PSS, where the system lets us read it, splits shared pages between
their users and sums to what the group really takes.

psutil is used when installed; otherwise ``/proc`` is read directly (Linux).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

MB = 1024 * 1024

try:
    import psutil as _psutil
except ImportError:  # pragma: no cover - depends on the machine
    _psutil = None


def _proc_kb(pid: int, file: str, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def rss_pss(pid: int) -> tuple[int, int | None]:
    """(RSS, PSS or None) of one process in bytes; (0, None) once it is gone."""
    if _psutil is not None:
        try:
            process = _psutil.Process(pid)
            try:
                full = process.memory_full_info()
                return int(full.rss), int(getattr(full, "pss", 0)) or None
            except _psutil.AccessDenied:
                return int(process.memory_info().rss), None
        except _psutil.Error:
            return 0, None
    rss = _proc_kb(pid, "status", "VmRSS")
    pss = _proc_kb(pid, "smaps_rollup", "Pss")
    return (rss or 0) * 1024, pss * 1024 if pss is not None else None


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields start after the last ")".
        ppid = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    """``pid`` and every process under it (uvicorn's workers, their helpers)."""
    if _psutil is not None:
        try:
            parent = _psutil.Process(pid)
            return [pid] + [p.pid for p in parent.children(recursive=True)]
        except _psutil.Error:
            return []
    tree = _children_by_parent()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += tree.get(current, [])
    return found


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return []


def server_on_port(port: int) -> int | None:
    """The pid of this process's child that serves ``port`` (the tests' launcher
    starts uvicorn with ``--port N`` and does not hand the process out)."""
    for pid in descendants(os.getpid())[1:]:
        args = _cmdline(pid)
        if "uvicorn" in " ".join(args) and str(port) in args:
            return pid
    return None


def postgres_backends(url: str) -> list[int]:
    """Pids of the PostgreSQL backends connected to the database of ``url`` (the
    server is on this host), less the one asking."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        return [int(pid) for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")]


@dataclass(slots=True)
class Peak:
    """The largest total seen at one sample, and how it was made up."""

    rss: int = 0
    pss: int = 0
    processes: int = 0
    parts: dict[str, int] = field(default_factory=dict)
    """RSS by part (``server``, ``postgres``) at the peak."""
    samples: int = 0

    def as_mb(self) -> dict[str, object]:
        return {"rss_mb": round(self.rss / MB, 1), "pss_mb": round(self.pss / MB, 1),
                "processes": self.processes, "samples": self.samples,
                "parts_rss_mb": {k: round(v / MB, 1) for k, v in self.parts.items()}}


class PeakSampler:
    """Sample the memory of a group of processes in a thread until stopped.

    ``groups`` gives, at each sample, the pids of each part; asking again each
    time catches workers that start late and backends a pool opens under load."""

    def __init__(self, groups: Callable[[], dict[str, Iterable[int]]],
                 interval: float = 0.1) -> None:
        self.groups = groups
        self.interval = interval
        self.peak = Peak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        parts: dict[str, int] = {}
        rss = pss = count = 0
        for name, pids in self.groups().items():
            for pid in pids:
                one_rss, one_pss = rss_pss(pid)
                if not one_rss:
                    continue
                parts[name] = parts.get(name, 0) + one_rss
                rss += one_rss
                pss += one_pss if one_pss is not None else one_rss
                count += 1
        self.peak.samples += 1
        if rss > self.peak.rss:
            self.peak.rss, self.peak.pss, self.peak.processes = rss, pss, count
            self.peak.parts = parts

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.sample()
            except Exception:  # noqa: BLE001 - a vanished process or server between samples
                continue

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def core_groups(port: int, url: str) -> Callable[[], dict[str, Iterable[int]]]:
    """The parts of a running core: its uvicorn process tree, and on PostgreSQL the
    backends connected to its database."""
    server = server_on_port(port)

    def groups() -> dict[str, Iterable[int]]:
        found: dict[str, Iterable[int]] = {"server": descendants(server) if server else []}
        if url.startswith("postgresql"):
            found["postgres"] = postgres_backends(url)
        return found

    return groups


def own_peak_rss() -> int:
    """This process's peak RSS in bytes so far (the kernel's high-water mark)."""
    hwm = _proc_kb(os.getpid(), "status", "VmHWM")
    if hwm is not None:
        return hwm * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
