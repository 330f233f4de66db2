"""A load generator in processes of its own, with a bare HTTP/1.1 client.

The old bench drove the core from httpx threads in the process that also
counted: about 0.5 ms of CPU per request went to the client, so on two cores
it read 1.3-1.7x low and capped near 1.5k req/s even against a bare app.
Here each process holds its share of keep-alive connections on one asyncio
loop and writes requests by hand (about 40 us of CPU each), and only the
latencies travel back to the parent. Standard library only, so a spawned
process starts fast.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Shape:
    """One kind of request. ``body`` may hold ``{key}`` (a new idempotency key per
    request) and ``{sku}`` (the next SKU of ``skus``, round robin per client).
    ``per_client`` headers, if given, go to client *i* as ``per_client[i % n]``
    on top of ``headers`` (one till's credentials per client, say)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    skus: tuple[str, ...] = ()
    ok: tuple[int, ...] = (200, 201)
    per_client: tuple[dict[str, str], ...] = ()


@dataclass(slots=True)
class Outcome:
    """What the clients saw in the counted window (after the warm-up).

    ``completed`` counts the answers that arrived inside the window: the rate.
    ``latencies`` are those of the requests *sent* inside it, each waited for
    to the end, so a slow tail is not cut off at the window's edge. (Counting
    every answer, late ones too, made a 3-second window at 128 clients read
    exactly 128/3 requests a second whatever the server did.)"""

    seconds: float
    latencies: list[float]
    errors: int
    statuses: dict[int, int]
    completed: int = 0

    @property
    def rate(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        """The q-quantile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _request(shape: Shape, host: str, skus: itertools.cycle[str] | None,
             headers: dict[str, str]) -> bytes:
    head = [f"{shape.method} {shape.path} HTTP/1.1", f"Host: {host}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    text = "\r\n".join(head) + "\r\n\r\n" + shape.body
    if "{key}" in text:
        text = text.replace("{key}", uuid.uuid4().hex)
    while "{sku}" in text:
        text = text.replace("{sku}", next(skus) if skus else "", 1)
    head_text, _, body = text.partition("\r\n\r\n")
    head = head_text.split("\r\n")
    if body:
        head += ["Content-Type: application/json", f"Content-Length: {len(body.encode())}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body.encode()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    if length:
        await reader.readexactly(length)
    return status, close


async def _client(host: str, port: int, shape: Shape, offset: int, total: int,
                  ready: asyncio.Event,
                  go: asyncio.Future[float], seconds: float, warmup: float,
                  out: Outcome) -> None:
    skus = None
    if shape.skus:  # clients start evenly spread over the ring, not side by side
        at = offset * len(shape.skus) // total
        skus = itertools.cycle(shape.skus[at:] + shape.skus[:at])
    headers = shape.headers | (shape.per_client[offset % len(shape.per_client)]
                               if shape.per_client else {})
    reader, writer = await asyncio.open_connection(host, port)
    ready.set()
    begin = await go
    start = begin + warmup
    deadline = start + seconds
    await asyncio.sleep(max(0.0, begin - time.time()))
    while time.time() < deadline:
        request = _request(shape, f"{host}:{port}", skus, headers)
        counted = time.time() >= start
        began = time.perf_counter()
        try:
            writer.write(request)
            status, close = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError):
            out.errors += 1
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
            continue
        spent = time.perf_counter() - began
        in_window = start <= time.time() <= deadline
        if counted or in_window:  # else the warm-up's: not counted at all
            out.statuses[status] = out.statuses.get(status, 0) + 1
            if status not in shape.ok:
                out.errors += 1
            else:
                out.completed += in_window
                if counted:
                    out.latencies.append(spent)
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
    writer.close()


async def _child(job: dict[str, Any]) -> Outcome:
    """Connect every client, say ``ready``, wait for the common start time on stdin."""
    given = job["shape"]
    shape = Shape(given["method"], given["path"], given["headers"], given["body"],
                  tuple(given["skus"]), tuple(given["ok"]), tuple(given["per_client"]))
    out = Outcome(job["seconds"], [], 0, {})
    loop = asyncio.get_running_loop()
    go: asyncio.Future[float] = loop.create_future()
    readies = [asyncio.Event() for _ in range(job["clients"])]
    tasks = [asyncio.create_task(_client(job["host"], job["port"], shape, job["first"] + i,
                                         job["total"], readies[i], go, job["seconds"],
                                         job["warmup"], out))
             for i in range(job["clients"])]
    for ready in readies:
        await ready.wait()
    print("ready", flush=True)
    go.set_result(float(await loop.run_in_executor(None, sys.stdin.readline)))
    await asyncio.gather(*tasks)
    return out


class LoadPool:
    """``processes`` processes of ``python -m bench.loadgen`` kept for many runs: a
    process costs its interpreter's start-up (about a second on this loaded
    machine), which a suite of sixty short runs should pay once, not sixty times."""

    def __init__(self, processes: int = 2) -> None:
        self.processes = processes
        self.children: list[subprocess.Popen[str]] = []

    def __enter__(self) -> LoadPool:
        for _ in range(self.processes):
            self.children.append(subprocess.Popen(
                [sys.executable, "-m", "bench.loadgen"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True))
        return self

    def __exit__(self, *_exc: object) -> None:
        for child in self.children:
            if child.stdin:
                child.stdin.close()
        for child in self.children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        self.children = []

    def drive(self, base: str, shape: Shape, *, clients: int, seconds: float,
              warmup: float = 0.0) -> Outcome:
        """Run ``clients`` closed-loop clients from a common start, spread over the
        pool's processes: ``warmup`` seconds not counted, then ``seconds`` counted."""
        host, port = base.removeprefix("http://").split(":")
        used = self.children[:max(1, min(len(self.children), clients))]
        share = [clients // len(used) + (1 if i < clients % len(used) else 0)
                 for i in range(len(used))]
        firsts = list(itertools.accumulate([0, *share[:-1]]))
        for child, first, n in zip(used, firsts, share, strict=True):
            job = {"host": host, "port": int(port), "shape": asdict(shape), "first": first,
                   "total": clients, "clients": n, "seconds": seconds, "warmup": warmup}
            assert child.stdin
            child.stdin.write(json.dumps(job) + "\n")
            child.stdin.flush()
        for child in used:
            assert child.stdout
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError("a load generator process did not start")
        start = time.time() + 0.05
        for child in used:
            assert child.stdin
            child.stdin.write(f"{start}\n")
            child.stdin.flush()
        total = Outcome(seconds, [], 0, {})
        for child in used:
            assert child.stdout
            part = json.loads(child.stdout.readline())
            total.latencies += part["latencies"]
            total.errors += part["errors"]
            total.completed += part["completed"]
            for code, count in part["statuses"].items():
                total.statuses[int(code)] = total.statuses.get(int(code), 0) + count
        return total


def drive(base: str, shape: Shape, *, clients: int, seconds: float, warmup: float = 0.0,
          processes: int = 2) -> Outcome:
    """One run in a pool of its own (see :class:`LoadPool` for many)."""
    with LoadPool(max(1, min(processes, clients))) as pool:
        return pool.drive(base, shape, clients=clients, seconds=seconds, warmup=warmup)


def main() -> None:
    """Serve jobs from stdin, one a line, until it closes."""
    while line := sys.stdin.readline():
        job = json.loads(line)
        out = asyncio.run(_child(job))
        print(json.dumps({"latencies": out.latencies, "errors": out.errors,
                          "statuses": out.statuses, "completed": out.completed}), flush=True)


if __name__ == "__main__":
    main()
