"""predictkit side by side with raw httpx, on loopback against the reference server.

    python -m nox -s bench            (or: python benchmarks/run.py [--quick])

Reports ratios, not absolute promises: the absolute numbers depend on the machine, the ratios
much less. Measured: per-call overhead of get (sync and async), requests and detection latency
of a wait, auto-paging 500 predictions, and import time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime

import httpx
from predictkit import Client, WaitOptions
from predictkit.testing import ReferenceServer


def per_call(fn: Callable[[], object], calls: int, rounds: int = 5) -> float:
    """Median over rounds of the mean seconds per call."""
    fn()  # warm up the connection
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def row(name: str, ours: float, raw: float, unit: str = "us", scale: float = 1e6) -> None:
    print(f"{name:<44} {ours * scale:>10.1f} {raw * scale:>10.1f} {unit:<3} {ours / raw:>7.2f}x")


def bench_get(server: ReferenceServer, client: Client, calls: int) -> None:
    pid = client.predictions.create({"input": {"text": "x" * 200}}, model="demo/echo", wait=True).id
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as raw:
        ours = per_call(lambda: client.predictions.get(pid), calls)
        plain = per_call(lambda: json.loads(raw.get(f"/predictions/{pid}").content), calls)
    row("get (sync), per call", ours, plain)

    async def async_side() -> tuple[float, float]:
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=30) as raw_async:

            async def ours_n() -> float:
                start = time.perf_counter()
                for _ in range(calls):
                    await client.predictions.async_get(pid)
                return (time.perf_counter() - start) / calls

            async def raw_n() -> float:
                start = time.perf_counter()
                for _ in range(calls):
                    json.loads((await raw_async.get(f"/predictions/{pid}")).content)
                return (time.perf_counter() - start) / calls

            await ours_n()
            await raw_n()
            a = statistics.median([await ours_n() for _ in range(5)])
            b = statistics.median([await raw_n() for _ in range(5)])
            return a, b

    ours_a, raw_a = asyncio.run(async_side())
    row("get (async), per call", ours_a, raw_a)


def _latency(final_updated_at: datetime, returned_at: float) -> float:
    return returned_at - final_updated_at.timestamp()


def bench_wait(server: ReferenceServer, client: Client, trials: int, sleep: float) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}

    def count(before: int) -> int:
        return len(server.requests) - before

    def ours(stream: bool) -> tuple[float, int]:
        data: dict[str, object] = (
            {"sleep": sleep} if stream else {"sleep": sleep, "stream_available": False}
        )
        pid = client.predictions.create({"input": data}, model="demo/echo").id
        before = len(server.requests)
        final = client.predictions.wait(pid, WaitOptions(timeout=60))
        return _latency(final.updated_at, time.time()), count(before)

    def raw(interval: float) -> tuple[float, int]:
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
            pid = http.post(
                "/predictions", json={"model": "demo/echo", "input": {"sleep": sleep}}
            ).json()["id"]
            before = len(server.requests)
            while True:  # bounded by the prediction's own sleep
                body = http.get(f"/predictions/{pid}").json()
                if body["status"] in ("succeeded", "failed", "cancelled", "abandoned"):
                    returned = time.time()
                    break
                time.sleep(interval)
            return returned - datetime.fromisoformat(body["updated_at"]).timestamp(), count(before)

    def summary(results: list[tuple[float, int]]) -> tuple[float, float]:
        return statistics.median(r[0] for r in results), statistics.mean(r[1] for r in results)

    print(f"\nwait on a {sleep:g} s prediction ({trials} trials): detection latency, requests")
    cases: dict[str, Callable[[], tuple[float, int]]] = {
        "predictkit wait (event stream)": lambda: ours(True),
        "predictkit wait (no stream: backoff polling)": lambda: ours(False),
        "raw httpx, poll every 1.0 s (earlier SDK)": lambda: raw(1.0),
        "raw httpx, poll every 0.1 s": lambda: raw(0.1),
    }
    for name, case in cases.items():
        latency, requests = summary([case() for _ in range(trials)])
        print(f"  {name:<46} {latency * 1000:>8.1f} ms {requests:>6.1f} requests")

    before = len(server.requests)
    p = client.predictions.create({"input": {"sleep": sleep}}, model="demo/echo", wait=True)
    latency = _latency(p.updated_at, time.time())
    name = "predictkit create(wait=True) (Prefer: wait)"
    print(f"  {name:<46} {latency * 1000:>8.1f} ms {count(before):>6.1f} requests")


def bench_paging(server: ReferenceServer, client: Client, total: int) -> None:
    server.reset()
    for i in range(total):
        client.predictions.create({"input": {"i": i}}, model="demo/echo")
    headers = {"Authorization": f"Bearer {server.token}"}

    def ours() -> int:
        return sum(1 for _ in client.predictions.list({"page_size": 50}))

    http = httpx.Client(base_url=server.url, headers=headers, timeout=30)

    def raw() -> int:
        n, cursor = 0, None
        for _ in range(total):  # bounded: at most one page per item
            params: dict[str, str | int] = {"page_size": 50}
            if cursor:
                params["cursor"] = cursor
            body = json.loads(http.get("/predictions", params=params).content)
            n += len(body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
        return n

    assert ours() == raw() == total
    ours_t = per_call(ours, 1, rounds=5)
    raw_t = per_call(raw, 1, rounds=5)
    http.close()
    print()
    row(f"auto-page {total} predictions (page_size 50)", ours_t, raw_t, "ms", 1e3)


def bench_import() -> None:
    def median_import(module: str) -> float:
        code = (
            f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        )
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(7)
        ]
        return statistics.median(runs)

    print()
    row(
        "import predictkit vs import httpx",
        median_import("predictkit"),
        median_import("httpx"),
        "ms",
        1e3,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and trials")
    args = parser.parse_args()
    calls, trials, total = (100, 2, 200) if args.quick else (500, 5, 500)

    with (
        ReferenceServer() as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        print(f"{'':<44} {'predictkit':>10} {'raw httpx':>10}     {'ratio':>7}")
        bench_get(server, client, calls)
        bench_wait(server, client, trials, sleep=0.5)
        bench_paging(server, client, total)
    bench_import()


if __name__ == "__main__":
    main()
