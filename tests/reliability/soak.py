"""Soak: many concurrent create / wait / stream / cancel / list operations under random faults.

Threads run sync operations and event loops (one per thread) run async ones, all on one Client,
against a local reference server that a chaos source keeps injecting faults into. Each round
ends with the ledger check: every prediction the server holds was returned to the client
exactly once (by a create, or named by an error), and the client knows of none the server does
not hold. After the last round: file descriptors, sockets and threads are back to their starting
counts, and traced memory has not grown between the first and the last round.

Run it with ``nox -s soak`` (hundreds of operations) or ``python tests/reliability/soak.py
--rounds 3 --ops 200``; the test suite runs a short version (test_soak.py). Loopback only; every
loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import gc
import json
import os
import random
import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import attrs
from predictkit import Client, CreateOutcomeUnknownError, PredictKitError, WaitOptions
from predictkit.testing import Fault
from predictkit.testing._server import ReferenceServer

FAULTS: list[tuple[str, Fault]] = [
    ("create_prediction", Fault.drop()),
    ("create_prediction", Fault.drop(after_handling=True)),
    ("create_prediction", Fault.status(500, after_handling=True)),
    ("create_prediction", Fault.status(503, retry_after=0)),
    ("create_prediction", Fault.truncated()),
    ("create_prediction", Fault.status(429, retry_after=0)),
    ("get_prediction", Fault.status(500)),
    ("get_prediction", Fault.truncated()),
    ("get_prediction", Fault.drop()),
    ("list_predictions", Fault.html(502)),
    ("list_predictions", Fault.delay(0.05)),
    ("stream_prediction", Fault.cut_stream(1)),
    ("stream_prediction", Fault.drop()),
    ("cancel_prediction", Fault.status(503, retry_after=0)),
]


@attrs.define
class Ledger:
    """What the client was told: prediction ids, counted; errors by type; operations run."""

    lock: threading.Lock = attrs.field(factory=threading.Lock)
    ids: collections.Counter[str] = attrs.field(factory=collections.Counter)
    errors: collections.Counter[str] = attrs.field(factory=collections.Counter)
    operations: int = 0
    unknown: int = 0
    """Creates reported to the caller as CreateOutcomeUnknownError with no candidate: each may
    account for one prediction the client was told it could not confirm (reported, not lost)."""

    def created(self, prediction_id: str) -> None:
        with self.lock:
            self.ids[prediction_id] += 1

    def failed(self, exc: PredictKitError) -> None:
        with self.lock:
            self.errors[type(exc).__name__] += 1
            if isinstance(exc, CreateOutcomeUnknownError):
                if not exc.candidates and not exc.prediction_id:
                    self.unknown += 1
                for pid in exc.candidates or ((exc.prediction_id,) if exc.prediction_id else ()):
                    self.ids[pid] += 0  # known as a candidate, not returned

    def ran(self) -> None:
        with self.lock:
            self.operations += 1


def _input(rng: random.Random, number: int) -> dict[str, Any]:
    body: dict[str, Any] = {"op": number, "sleep": rng.choice([0, 0.01, 0.05, 0.2])}
    if rng.random() < 0.3:
        body["stream"] = ["a", "b", "c"]
    return body


WATCHDOG_NAME = "predictkit-deadlines"
CHAOS_EVERY = 0.1
"""Seconds between injected faults: each hits the next request of its operation."""
WAIT = WaitOptions(poll_interval=0.1, timeout=20)


def sync_operation(client: Client, ledger: Ledger, rng: random.Random, number: int) -> None:
    kind = rng.choice(["create", "create_wait", "stream", "cancel", "list"])
    predictions = client.predictions
    try:
        if kind == "list":
            list(predictions.list(limit=rng.choice([5, 30])))
            return
        p = predictions.create({"input": _input(rng, number)}, model="demo/echo")
        ledger.created(p.id)
        if kind == "create_wait":
            predictions.wait(p.id, WAIT)
        elif kind == "stream":
            for _ in predictions.stream(p.id):
                pass
        elif kind == "cancel":
            predictions.cancel(p.id)
    except PredictKitError as exc:
        ledger.failed(exc)
    finally:
        ledger.ran()


async def async_operation(client: Client, ledger: Ledger, rng: random.Random, number: int) -> None:
    kind = rng.choice(["create", "create_wait", "stream", "cancel", "list"])
    predictions = client.predictions
    try:
        if kind == "list":
            [p async for p in predictions.async_list(limit=rng.choice([5, 30]))]
            return
        p = await predictions.async_create({"input": _input(rng, number)}, model="demo/echo")
        ledger.created(p.id)
        if kind == "create_wait":
            await predictions.async_wait(p.id, WAIT)
        elif kind == "stream":
            async for _ in predictions.async_stream(p.id):
                pass
        elif kind == "cancel":
            await predictions.async_cancel(p.id)
    except PredictKitError as exc:
        ledger.failed(exc)
    finally:
        ledger.ran()


def _chaos(
    server: ReferenceServer, rng: random.Random, stop: threading.Event, every: float
) -> None:
    for _ in range(100_000):  # bounded; `stop` ends it long before
        if stop.wait(every):
            return
        operation, fault = rng.choice(FAULTS)
        server.clear_faults()  # at most one pending: faults of a rare operation do not pile up
        server.inject(operation, fault)


def _resources() -> dict[str, int]:
    fds = os.listdir("/proc/self/fd")
    sockets = 0
    for fd in fds:
        with contextlib.suppress(OSError):  # closed since listed
            sockets += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    # predictkit's one read watchdog (started on first use, then kept for the process) is not a
    # leak: it is the same thread however many calls run.
    threads = [t for t in threading.enumerate() if t.name != WATCHDOG_NAME]
    return {"fds": len(fds), "sockets": sockets, "threads": len(threads)}


def _settled(start: dict[str, int], limit: float = 10.0) -> dict[str, int]:
    """Resource counts once closed connections are gone (polled: a closed socket's peer end is
    released by the server's loop a moment later), at most ``limit`` seconds."""
    deadline = time.monotonic() + limit
    current = _resources()
    while current != start and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.05)
        current = _resources()
    return current


def run_round(
    server: ReferenceServer, ops: int, threads: int, loops: int, seed: int
) -> tuple[Ledger, list[str]]:
    """One round of ``ops`` operations; returns the ledger and the ledger check's problems."""
    ledger = Ledger()
    rng = random.Random(seed)
    numbers = iter(range(ops))
    take = threading.Lock()

    def next_number() -> int | None:
        with take:
            return next(numbers, None)

    with Client(server.token, server.url, max_retries=3, reconcile_window=2.0) as client:

        def sync_worker(worker_seed: int) -> None:
            wrng = random.Random(worker_seed)
            for _ in range(ops):
                number = next_number()
                if number is None:
                    return
                sync_operation(client, ledger, wrng, number)

        def async_worker(worker_seed: int) -> None:
            async def main() -> None:
                wrng = random.Random(worker_seed)

                async def task() -> None:
                    for _ in range(ops):
                        number = next_number()
                        if number is None:
                            return
                        await async_operation(client, ledger, wrng, number)

                await asyncio.gather(*(task() for _ in range(8)))

            asyncio.run(main())

        stop = threading.Event()
        chaos = threading.Thread(target=_chaos, args=(server, rng, stop, CHAOS_EVERY))
        workers: list[threading.Thread] = [
            threading.Thread(target=sync_worker, args=(seed * 100 + i,)) for i in range(threads)
        ] + [
            threading.Thread(target=async_worker, args=(seed * 100 + 50 + i,)) for i in range(loops)
        ]
        chaos.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
        stop.set()
        chaos.join(timeout=10)
        server.clear_faults()
        held = _server_ids(client)
    return ledger, _check(ledger, held, workers)


def _server_ids(client: Client) -> list[str]:
    return [p.id for p in client.predictions.list(limit=100_000)]


def _check(ledger: Ledger, held: list[str], workers: list[threading.Thread]) -> list[str]:
    problems = [f"worker {w.name} still running" for w in workers if w.is_alive()]
    returned = {pid: n for pid, n in ledger.ids.items() if n > 0}
    problems += [f"{pid} returned {n} times" for pid, n in returned.items() if n > 1]
    unknown = [pid for pid in held if pid not in ledger.ids]
    if len(unknown) > ledger.unknown:  # more than the outcomes the caller was told are unknown
        problems += [f"{pid} created on the server but never known" for pid in unknown]
    problems += [f"{pid} known but not on the server" for pid in returned if pid not in held]
    return problems


def soak(rounds: int, ops: int, threads: int, loops: int, seed: int = 1) -> dict[str, Any]:
    """Run the soak; returns a report (raises AssertionError listing any problem)."""
    with ReferenceServer(webhook_backoff=0.01) as server:
        start = _resources()
        tracemalloc.start()
        memory: list[int] = []
        report: dict[str, Any] = {"rounds": [], "problems": []}
        began = time.monotonic()
        for number in range(rounds):
            ledger, problems = run_round(server, ops, threads, loops, seed + number)
            report["problems"] += problems
            report["rounds"].append(
                {
                    "operations": ledger.operations,
                    "predictions": sum(1 for n in ledger.ids.values() if n > 0),
                    "errors": dict(ledger.errors),
                }
            )
            server.reset()
            gc.collect()
            memory.append(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
        report["seconds"] = round(time.monotonic() - began, 1)
        report["memory_bytes_after_each_round"] = memory
        end = _settled(start)
        report["resources"] = {"start": start, "end": end}
    if end != start:
        report["problems"].append(f"resources not back: {start} -> {end}")
    growth = memory[-1] - memory[0] if len(memory) > 1 else 0
    report["memory_growth_bytes"] = growth
    if growth > 2_000_000:
        report["problems"].append(f"traced memory grew {growth} bytes from round 1 to the last")
    if report["problems"]:
        raise AssertionError(json.dumps(report, indent=2))
    return report


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ops", type=int, default=200, help="operations per round")
    parser.add_argument("--threads", type=int, default=4, help="sync worker threads")
    parser.add_argument("--loops", type=int, default=2, help="event loops (8 tasks each)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    report = soak(args.rounds, args.ops, args.threads, args.loops, args.seed)
    out(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
