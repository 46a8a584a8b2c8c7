"""Waits: requests spent and how late the end is seen, with and without an event stream.

Detection latency is the wall time at which the caller has the ended prediction minus its
``updated_at`` (when the server recorded the end; same clock, loopback). Requests are every
request the server logged for that prediction, the create included. Trials of one round run
at the same time, one thread each, and every contender gets the same job lengths.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
from predictkit import Client, CreatePredictionParams
from predictkit.testing import ReferenceServer

from benchmarks._harness import Results, Row, Settings
from benchmarks.calls import OFFICIAL, OURS, official_client, raw_client

TERMINAL = ("succeeded", "failed", "cancelled", "abandoned")
FIXED = "fixed 1 s polling (raw httpx)"
Trial = Callable[[float], tuple[str, float]]
"""Runs one job of the given length; returns (prediction id, detection latency)."""


def requests_for(server: ReferenceServer, prediction_id: str) -> int:
    """The create plus every request naming the prediction."""
    return 1 + sum(1 for r in server.requests if prediction_id in r.path)


def _latency(updated_at: str | datetime) -> float:
    when = datetime.fromisoformat(updated_at) if isinstance(updated_at, str) else updated_at
    return time.time() - when.timestamp()


def run_trials(
    server: ReferenceServer, contenders: dict[str, Trial], lengths: list[float]
) -> dict[str, tuple[list[float], list[int]]]:
    """Every contender runs every job length, all at once; latencies and request counts."""
    out: dict[str, tuple[list[float], list[int]]] = {n: ([], []) for n in contenders}
    lock = threading.Lock()

    def one(name: str, length: float) -> None:
        pid, latency = contenders[name](length)
        with lock:
            out[name][0].append(latency)
            out[name][1].append(requests_for(server, pid))

    threads = [
        threading.Thread(target=one, args=(name, length))
        for length in lengths
        for name in contenders
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def fixed_loop(server: ReferenceServer, hold: float) -> Trial:
    """The naive client: create with Prefer: wait, then GET every second."""

    def trial(length: float) -> tuple[str, float]:
        with raw_client(server) as http:
            body = {"model": "demo/echo", "input": {"sleep": length}}
            p = http.post("/predictions", json=body, headers={"Prefer": f"wait={hold:g}"}).json()
            for _ in range(10_000):  # bounded by the job's length
                if p["status"] in TERMINAL:
                    break
                time.sleep(1.0)
                p = http.get(f"/predictions/{p['id']}").json()
            return p["id"], _latency(p["updated_at"])

    return trial


def official_trial(server: ReferenceServer, hold: float) -> Trial | None:
    official = official_client(server)
    if official is None:
        return None
    from wriftai.predictions import CreateWaitOptions  # type: ignore[import-not-found]  # noqa: PLC0415

    def trial(length: float) -> tuple[str, float]:
        p = official.predictions.create(
            model="demo/echo",
            input={"sleep": length},
            wait=True,
            wait_options=CreateWaitOptions(duration=hold),
        )
        return p["id"], _latency(p["updated_at"])

    return trial


def job(length: float, *, stream: bool) -> CreatePredictionParams:
    params: CreatePredictionParams = {"input": {"sleep": length}}
    if stream:
        params["stream"] = True
    return params


def ours_trial(client: Client, *, stream: bool = False) -> Trial:
    def trial(length: float) -> tuple[str, float]:
        p = client.predictions.create(job(length, stream=stream), "demo/echo", wait=True)
        return p.id, _latency(p.updated_at)

    return trial


def bench_no_stream(results: Results, s: Settings) -> dict[str, Any]:
    """Jobs that outlast the server's hold, on a server that gives them no stream."""
    rng = random.Random(11)  # noqa: S311 - job lengths, not secrets
    with (
        ReferenceServer(wait_ceiling=s.hold, streams="requested") as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        contenders: dict[str, Trial] = {FIXED: fixed_loop(server, s.hold)}
        official = official_trial(server, s.hold)
        if official is not None:
            contenders[OFFICIAL] = official
        contenders[OURS + " (first runs of the model)"] = ours_trial(client)
        # Jobs vary +-10 % around run_seconds. The first round teaches predictkit the run time.
        cold = run_trials(server, contenders, [s.run_seconds * rng.uniform(0.9, 1.1)] * 2)
        lengths = [s.run_seconds * rng.uniform(0.9, 1.1) for _ in range(s.wait_trials)]
        warm = run_trials(server, {**contenders, OURS: ours_trial(client)}, lengths)
    chart = {}
    p50 = {}
    mean_requests = {}
    for name, measured in warm.items():
        latencies, counts = cold[name] if name in cold and name.startswith(OURS) else measured
        p50[name] = statistics.median(latencies) * 1e3
        mean_requests[name] = statistics.mean(counts)
        chart[name] = (p50[name], mean_requests[name])
    figure = f"no stream, {s.run_seconds:g} s jobs (+-10 %) past a {s.hold:g} s hold"
    latency_row = results.add(Row("waits", figure + ": detection p50", "ms", p50, FIXED))
    latency_row.target = "<= 250 ms"
    latency_row.met = p50[OURS] <= 250
    requests_row = results.add(Row("waits", figure + ": requests", "req", mean_requests, FIXED))
    requests_row.target = "<= the fixed loop's"
    requests_row.met = mean_requests[OURS] <= mean_requests[FIXED]
    return chart


def bench_stream(results: Results, s: Settings, mode: str) -> dict[str, Any]:
    """With a stream: a create(wait=True) past the hold, and a wait(id) on a running job.

    The reference server caps a stream's idle gap at its hold ceiling, so every job here ends
    within that gap of the stream opening: no row counts idle reconnects (each would cost one
    request, to raw httpx and predictkit alike). With "stream": true a create is not held (the
    API would answer with the stream itself), so in "requested" mode it is a short job too.
    """
    stream = mode == "requested"  # there, only a create with "stream": true gets a stream
    params = {"stream": True} if stream else {}
    short = s.hold * 0.6
    length = short if stream else s.hold + short
    with (
        ReferenceServer(wait_ceiling=s.hold, streams=mode) as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):

        def raw_past_hold(length: float) -> tuple[str, float]:
            with raw_client(server) as http:
                body = {"model": "demo/echo", "input": {"sleep": length}, **params}
                # With "stream": true a held create would answer with the stream itself.
                hold = {} if params else {"Prefer": f"wait={s.hold:g}"}
                p = http.post("/predictions", json=body, headers=hold)
                pid = p.json()["id"]
                with http.stream("GET", f"/predictions/{pid}/stream") as events:
                    for line in events.iter_lines():
                        if line.startswith("event: ") and line[7:] in ("done", "error"):
                            break
                final = http.get(f"/predictions/{pid}").json()
                return pid, _latency(final["updated_at"])

        def ours_wait_id(length: float) -> tuple[str, float]:
            pid = client.predictions.create(job(length, stream=stream), "demo/echo").id
            return pid, _latency(client.predictions.wait(pid).updated_at)

        def raw_wait_id(length: float) -> tuple[str, float]:
            with raw_client(server) as http:
                body = {"model": "demo/echo", "input": {"sleep": length}, **params}
                pid = http.post("/predictions", json=body).json()["id"]
                with http.stream("GET", f"/predictions/{pid}/stream") as events:
                    for line in events.iter_lines():
                        if line.startswith("event: ") and line[7:] in ("done", "error"):
                            break
                final = http.get(f"/predictions/{pid}").json()
                return pid, _latency(final["updated_at"])

        past = run_trials(
            server,
            {
                "raw httpx (create, stream, get)": raw_past_hold,
                OURS: ours_trial(client, stream=stream),
            },
            [length] * 3,
        )
        by_id = run_trials(
            server, {"raw httpx (stream, get)": raw_wait_id, OURS: ours_wait_id}, [short] * 3
        )
    chart = {}
    first = "create(wait=True) with a stream" + ("" if stream else ", past the server's hold")
    for label, data, target in (
        (first, past, 3),
        ("wait(id) with a stream (create not counted)", by_id, 2),
    ):
        counts = {
            n: statistics.mean(c) - (1 if "wait(id)" in label else 0) for n, (_, c) in data.items()
        }
        row = results.add(Row("waits", f"[streams={mode}] requests per {label}", "req", counts))
        row.target, row.met = f"<= {target}", counts[OURS] <= target
        p50 = {n: statistics.median(lat) * 1e3 for n, (lat, _) in data.items()}
        results.add(Row("waits", f"[streams={mode}] detection p50, {label}", "ms", p50))
        chart[label] = {n: (p50[n], counts[n]) for n in data}
    return chart


def bench_concurrent(results: Results, s: Settings) -> None:
    """N concurrent async create+wait of 0.5 s jobs (within the server's hold)."""
    n = s.concurrent
    with ReferenceServer(wait_ceiling=5.0) as server:
        client = Client(access_token=server.token, api_base_url=server.url)
        official = official_client(server)

        async def ours() -> None:
            await asyncio.gather(*(
                client.predictions.async_create({"input": {"sleep": 0.5}}, "demo/echo", wait=True)
                for _ in range(n)
            ))  # fmt: skip

        async def raw() -> None:
            limits = httpx.Limits(max_connections=n)
            headers = {"Authorization": f"Bearer {server.token}", "Prefer": "wait=5"}
            async with httpx.AsyncClient(
                base_url=server.url, headers=headers, timeout=30, limits=limits
            ) as http:
                body = {"model": "demo/echo", "input": {"sleep": 0.5}}
                await asyncio.gather(*(http.post("/predictions", json=body) for _ in range(n)))

        async def theirs() -> None:
            await asyncio.gather(*(
                official.predictions.async_create(
                    model="demo/echo", input={"sleep": 0.5}, wait=True
                )
                for _ in range(n)
            ))  # fmt: skip

        contenders: dict[str, Callable[[], Any]] = {"raw httpx": raw}
        if official is not None:
            contenders[OFFICIAL] = theirs
        contenders[OURS] = ours
        wall: dict[str, float] = {}
        reqs: dict[str, float] = {}
        for name, fn in contenders.items():
            before = len(server.requests)
            start = time.perf_counter()
            asyncio.run(fn())
            wall[name] = time.perf_counter() - start
            reqs[name] = (len(server.requests) - before) / n
        client.close()
    results.add(Row("waits", f"{n} concurrent async create+wait (0.5 s jobs): wall", "s", wall))
    results.add(Row("waits", f"{n} concurrent async create+wait: requests each", "req", reqs))
