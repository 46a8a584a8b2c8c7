"""Per-call overhead: get, the first page of a list, auto-paging, and import time.

Each figure times the same work three ways in the same rounds: raw httpx (a GET and
``json.loads``, the floor any client pays), the official ``wriftai`` client when installed, and
predictkit (which also parses into typed models). Where a figure reads the items of a page,
every contender reads the same fields of every item. The server runs in its own process
(``_harness.served``).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx
from predictkit import Client
from predictkit.testing import ReferenceServer

from benchmarks._harness import Endpoint, Results, Row, Settings, paired, spread

RAW = "raw httpx"
OFFICIAL = "wriftai 0.34"
OURS = "predictkit"

Server = ReferenceServer | Endpoint
"""A reference server in this process, or in its own (the per-call figures)."""


def official_client(server: Server) -> Any:
    """The official client pointed at the reference server, or None when not installed."""
    try:
        import wriftai  # type: ignore[import-not-found]  # noqa: PLC0415 - bench session only
    except ImportError:
        return None
    return wriftai.Client(access_token=server.token, api_base_url=server.url)


def raw_client(server: Server) -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.token}"}
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def _judge(row: Row, limit: float) -> Row:
    row.met = row.ratios[OURS][0] <= limit
    row.target = f"<= {limit:.2f}x raw httpx"
    return row


def bench_get(results: Results, server: Server, client: Client, s: Settings) -> None:
    pid = client.predictions.create({"input": {"text": "x" * 200}}, "demo/echo", wait=True).id
    official = official_client(server)
    with raw_client(server) as raw:
        contenders: dict[str, Callable[[], object]] = {
            RAW: lambda: json.loads(raw.get(f"/predictions/{pid}").content)
        }
        if official is not None:
            contenders[OFFICIAL] = lambda: official.predictions.get(pid)
        contenders[OURS] = lambda: client.predictions.get(pid)
        values, ratios = paired(contenders, rounds=s.rounds)
    us = {k: v * 1e6 for k, v in values.items()}
    results.add(_judge(Row("calls", "get(id) per call", "us", us, RAW, ratios), 1.03))


def bench_first_page(results: Results, server: Server, client: Client, s: Settings) -> None:
    """The page as each client returns it; then the same, reading every item's id and status
    (predictkit parses an item into its typed model when it is first read)."""
    official = official_client(server)
    with raw_client(server) as raw:

        def raw_page() -> Any:
            return json.loads(raw.get("/predictions", params={"page_size": 50}).content)

        def official_page() -> Any:
            return official.predictions.list({"page_size": 50})

        def our_page() -> Any:
            return client.predictions.list({"page_size": 50})

        pages: dict[str, Callable[[], object]] = {RAW: raw_page}
        read: dict[str, Callable[[], object]] = {
            RAW: lambda: [(i["id"], i["status"]) for i in raw_page()["items"]]
        }
        if official is not None:
            pages[OFFICIAL] = official_page
            read[OFFICIAL] = lambda: [(i["id"], i["status"]) for i in official_page().items]
        pages[OURS] = our_page
        read[OURS] = lambda: [(p.id, p.status) for p in our_page().items]
        rounds = max(3, s.rounds // 2)
        values, ratios = paired(pages, rounds=rounds)
        ms = {k: v * 1e3 for k, v in values.items()}
        results.add(
            _judge(Row("calls", "first page of 50 from list()", "ms", ms, RAW, ratios), 1.03)
        )
        values, ratios = paired(read, rounds=rounds)
        ms = {k: v * 1e3 for k, v in values.items()}
        row = Row(
            "calls", "first page of 50, every item's id and status read", "ms", ms, RAW, ratios
        )
        row.note = "no target in issue 11: what typed parsing of 50 items costs"
        results.add(row)


def bench_paging(results: Results, server: Server, client: Client, s: Settings) -> None:
    total = s.paging_total
    official = official_client(server)

    def ours() -> int:
        return sum(1 for p in client.predictions.list({"page_size": 50}) if p.id)

    def manual(get_page: Callable[[str | None], tuple[int, str | None]]) -> int:
        count, cursor = 0, None
        for _ in range(total):  # bounded: at most one page per item
            n, cursor = get_page(cursor)
            count += n
            if cursor is None:
                break
        return count

    with raw_client(server) as raw:

        def raw_page(cursor: str | None) -> tuple[int, str | None]:
            params: dict[str, Any] = {"page_size": 50} | ({"cursor": cursor} if cursor else {})
            body = json.loads(raw.get("/predictions", params=params).content)
            return sum(1 for item in body["items"] if item["id"]), body["next_cursor"]

        def official_page(cursor: str | None) -> tuple[int, str | None]:
            options: dict[str, Any] = {"page_size": 50} | ({"cursor": cursor} if cursor else {})
            page = official.predictions.list(options)
            return sum(1 for item in page.items if item["id"]), page.next_cursor

        contenders: dict[str, Callable[[], object]] = {RAW: lambda: manual(raw_page)}
        if official is not None:
            contenders[OFFICIAL + " (manual loop)"] = lambda: manual(official_page)
        contenders[OURS] = ours
        assert ours() == manual(raw_page) == total, "the server should hold exactly `total`"
        values, ratios = paired(contenders, rounds=max(3, s.rounds // 20))
    ms = {k: v * 1e3 for k, v in values.items()}
    figure = f"auto-paging {total} predictions ({total // 50} requests)"
    results.add(_judge(Row("calls", figure, "ms", ms, RAW, ratios), 1.05))


def bench_import(results: Results, s: Settings) -> None:
    def seconds(module: str) -> float:
        code = (
            f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        return float(out)

    modules = {RAW: "httpx", OURS: "predictkit"}
    try:
        import wriftai  # noqa: F401, PLC0415
    except ImportError:
        pass
    else:
        modules = {RAW: "httpx", OFFICIAL: "wriftai", OURS: "predictkit"}
    per_round: dict[str, list[float]] = {k: [] for k in modules}
    names = list(modules)
    for number in range(max(3, s.rounds // 30)):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:  # the order rotates, as in paired()
            per_round[name].append(seconds(modules[name]))
    ratios = {
        name: spread([t / b for t, b in zip(times, per_round[RAW], strict=True)])
        for name, times in per_round.items()
    }
    ms = {k: statistics.median(v) * 1e3 for k, v in per_round.items()}
    row = Row("calls", "import, fresh process (vs import httpx)", "ms", ms, RAW, ratios)
    results.add(_judge(row, 1.2))


def seed(server: Server, total: int, *, start: int = 0) -> None:
    """Make ``total`` more predictions on the server, quickly (raw creates, 8 at a time)."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    with raw_client(server) as raw, ThreadPoolExecutor(8) as pool:

        def create(i: int) -> int:
            body = {"model": "demo/echo", "input": {"i": i}}
            return raw.post("/predictions", json=body).status_code

        codes = list(pool.map(create, range(start, start + total)))
    assert codes == [201] * total, sorted(set(codes))
