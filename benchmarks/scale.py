"""Many predictions: create_many at the rate limit, and memory while iterating or creating.

- create_many of N short predictions against the reference server limited to the documented
  15 requests per second: wall time against the floor the limit sets (N / 15 s), 429s the
  server answered, and requests per prediction. Beside it, a raw httpx loop with the same
  concurrency that retries 429s after ``x-ratelimit-reset`` (what the official client does).
- Peak memory growth (tracemalloc, in a fresh process) while auto-paging through 10,000
  predictions, and while create_many works through many inputs against a hundredth as many.
  A mocked transport answers both at once, so only the client's own memory is measured (the
  whole client runs: Sender, body reads, parsing, pages) and no server has to be seeded.
  These runs measure memory, not time, so they run in other processes while the rate-limited
  create_many (which mostly waits on the limit) is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from predictkit import Client, CreatePredictionParams
from predictkit.testing import RateLimit, ReferenceServer

from benchmarks._harness import Results, Row, Settings
from benchmarks.calls import OURS, raw_client

LIMIT = RateLimit(requests=15, per_seconds=1.0)
CONCURRENCY = 8


def bench_create_many(results: Results, s: Settings) -> None:
    with ReferenceServer(rate_limit=LIMIT) as server:
        with Client(access_token=server.token, api_base_url=server.url) as client:
            start = time.perf_counter()
            inputs: Iterator[CreatePredictionParams] = ({"input": {"i": i}} for i in range(s.batch))
            done = sum(r.ok for r in client.predictions.create_many(inputs, "demo/echo"))
            ours = time.perf_counter() - start
        assert done == s.batch, done
        ours_429 = sum(r.status_code == 429 for r in server.requests)
        ours_requests = len(server.requests) / s.batch
        server.reset()

        def naive(i: int) -> None:
            with raw_client(server) as http:
                for _ in range(100):  # bounded: each 429 waits for the window's reset
                    r = http.post("/predictions", json={"model": "demo/echo", "input": {"i": i}})
                    if r.status_code != 429:
                        return
                    time.sleep(max(0.0, float(r.headers["x-ratelimit-reset"]) - time.time()))

        start = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(naive, range(s.batch_raw)))
        raw = time.perf_counter() - start
        raw_429 = sum(r.status_code == 429 for r in server.requests)
        raw_requests = len(server.requests) / s.batch_raw
    floor_ours = s.batch / LIMIT.requests
    floor_raw = s.batch_raw / LIMIT.requests
    raw_name = f"raw httpx, {CONCURRENCY} threads, retry 429 at reset ({s.batch_raw} inputs)"
    ours_name = f"{OURS} create_many ({s.batch} inputs)"
    ratio = {ours_name: ours / floor_ours, raw_name: raw / floor_raw}
    row = results.add(Row("scale", "wall time / the rate limit's floor (15/s)", "x", ratio))
    row.note = f"{OURS}: {ours:.1f} s for {s.batch}; raw: {raw:.1f} s for {s.batch_raw}"
    results.add(Row("scale", "429s answered", "", {ours_name: ours_429, raw_name: raw_429}))
    requests = {ours_name: ours_requests, raw_name: raw_requests}
    results.add(Row("scale", "requests per prediction", "req", requests))


ITERATE = """
import json, sys, tracemalloc
import httpx
from predictkit import Client
expected = int(sys.argv[1])
ITEM = {"model": {"owner": "demo", "name": "echo", "version_number": 1},
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:01Z",
        "status": "succeeded", "setup_time": "0.1", "execution_time": "0.2", "stream": False}

def page(start):  # a page of the list, newest first; the cursor is the next offset
    end = min(start + 50, expected)
    items = [{**ITEM, "id": f"00000000-0000-4000-8000-{i:012d}"} for i in range(start, end)]
    after = str(end) if end < expected else None
    return json.dumps({"items": items, "next_cursor": after,
                       "previous_cursor": str(start) if start else None}).encode()

PAGES = {str(start): page(start) for start in range(0, expected, 50)}  # before tracemalloc

def answer(request):
    body = PAGES[request.url.params.get("cursor", "0")]
    return httpx.Response(200, headers={"content-type": "application/json"},
                          stream=httpx.ByteStream(body))  # read as from a socket

client = Client(access_token="t", api_base_url="https://api.example/v1",
                transport=httpx.MockTransport(answer))
list(client.predictions.list({"page_size": 50}, limit=100))  # warm: imports, first pages
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
count = sum(1 for _ in client.predictions.list({"page_size": 50}))
peak = tracemalloc.get_traced_memory()[1]
assert count == expected, count
print((peak - base) / 2**20)
"""

CREATE_MANY = """
import json, sys, tracemalloc, uuid
import httpx
from predictkit import Client, CreatePredictionParams
from predictkit._ratelimit import CreateRate

n = int(sys.argv[1])
BODY = {"model": {"owner": "demo", "name": "echo", "version_number": 1},
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        "status": "starting", "setup_time": None, "execution_time": None,
        "input": {"i": 0}, "output": None, "error": None, "metrics": None, "stream": False}

def answer(request):
    return httpx.Response(201, json={**BODY, "id": str(uuid.uuid4())})

client = Client(access_token="t", api_base_url="https://api.example/v1",
                transport=httpx.MockTransport(answer))
client._create_rate = CreateRate(1e9)  # the mock has no rate limit: measure only memory
list(client.predictions.create_many(({"input": {"i": i}} for i in range(50)), "demo/echo"))
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
ok = sum(r.ok for r in client.predictions.create_many(
    ({"input": {"i": i}} for i in range(n)), "demo/echo"))
peak = tracemalloc.get_traced_memory()[1]
assert ok == n, ok
print((peak - base) / 2**20)
"""


def _mib(code: str, *args: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def measure_memory(s: Settings) -> dict[str, float]:
    """Peak growth (MiB) iterating, and for create_many of few and many inputs: each in a
    fresh process, the iteration beside the create_many runs (2 cores)."""
    small = max(100, s.memory_inputs // 100)
    with ThreadPoolExecutor(2) as side:
        iterate = side.submit(_mib, ITERATE, str(s.iterate))
        few = side.submit(_mib, CREATE_MANY, str(small))
        many = _mib(CREATE_MANY, str(s.memory_inputs))
        return {"iterate": iterate.result(), f"{small} inputs": few.result(),
                f"{s.memory_inputs} inputs": many}  # fmt: skip


def report_memory(results: Results, s: Settings, measured: dict[str, float]) -> None:
    growth = measured.pop("iterate")
    row = Row("scale", f"peak memory growth iterating {s.iterate} predictions", "MiB",
              {OURS: growth})  # fmt: skip
    row.target, row.met = "<= 5 MB", growth <= 5 * 1e6 / 2**20
    results.add(row)
    row = Row("scale", "create_many peak memory growth (mock transport)", "MiB", measured)
    row.note = "flat when both are about the same"
    results.add(row)
    results.extra["memory"] = json.loads(json.dumps(measured))
