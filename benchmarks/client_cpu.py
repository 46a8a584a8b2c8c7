"""What the client itself costs per call, in CPU time, against a mocked transport.

    .nox/bench/bin/python benchmarks/client_cpu.py [--rounds N] [--profile get|page|walk]

The per-call figures of ``nox -s bench`` are wall-clock ratios on loopback: on a machine shared
with other work they move with its load. This measures what predictkit adds on top of raw
httpx with no socket and no server in the loop, in CPU time of this thread
(``time.thread_time``), so it holds steady under load: both clients send through the same
``httpx.BaseTransport``, which answers with bodies the reference server really sent (captured
first), as an unread stream of one chunk with the server's headers, the way httpcore hands a
small response over. Raw httpx = ``client.get`` + ``json.loads``; predictkit = its typed
result (for the walk, every item's ``id`` read, as in the bench).

Each round runs every contender in turn (the order rotates) for a block of calls; a figure is
the median over rounds of CPU microseconds per call, and the difference to raw httpx is taken
per round. ``--profile`` prints a cProfile of predictkit's side instead.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from predictkit import Client, CreatePredictionParams
from predictkit.testing import ReferenceServer

from benchmarks._harness import served
from benchmarks.calls import seed

_KEPT = ("content-type", "content-length", "location", "x-request-id")


class _Chunk(httpx.SyncByteStream):
    """A response body not yet read, given in one chunk (as httpcore gives a small one)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self._body


def _key(url: httpx.URL) -> str:
    """A URL's path and its query parameters in sorted order (clients order them differently)."""
    return url.path + "?" + "&".join(f"{k}={v}" for k, v in sorted(url.params.multi_items()))


class Replay(httpx.BaseTransport):
    """Answers each path (with its query) with the status, headers and body captured for it."""

    def __init__(self, answers: dict[str, tuple[int, list[tuple[str, str]], bytes]]) -> None:
        self._answers = answers

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        status, headers, body = self._answers[_key(request.url)]
        return httpx.Response(status, headers=headers, stream=_Chunk(body))


def capture(total: int) -> tuple[Replay, str, str]:
    """Bodies of a get (200-character input and output) and of every page of ``total``
    predictions, 50 a page, from the reference server; returns the transport, the id, and the
    token to give the clients."""
    answers: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
    with (
        ReferenceServer() as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        for i in range(total - 1):
            client.predictions.create({"input": {"i": i}}, "demo/echo")
        pid = client.predictions.create({"input": {"text": "x" * 200}}, "demo/echo", wait=True).id
        with httpx.Client(headers={"Authorization": f"Bearer {server.token}"}) as raw:
            paths = [f"/predictions/{pid}", "/predictions?page_size=50"]
            for path in paths:  # grows while reading: each page adds the next one's path
                response = raw.get(server.url + path)
                headers = [
                    (k, v)
                    for k, v in response.headers.items()
                    if k in _KEPT or k.startswith("x-ratelimit")
                ]
                key = _key(httpx.URL("https://api.test/v1" + path))
                answers[key] = (response.status_code, headers, response.content)
                cursor = response.json().get("next_cursor") if "page_size" in path else None
                if cursor:
                    paths.append(f"/predictions?page_size=50&cursor={cursor}")
        return Replay(answers), pid, server.token


def contenders(
    transport: Replay | None, pid: str, token: str, url: str = "https://api.test/v1"
) -> tuple[dict[str, dict[str, Callable[[], object]]], list[Any]]:
    raw = httpx.Client(transport=transport, headers={"Authorization": f"Bearer {token}"})
    ours = Client(access_token=token, api_base_url=url, transport=transport)

    def raw_walk() -> int:
        count, cursor = 0, None
        for _ in range(1000):
            params: dict[str, Any] = {"page_size": 50} | ({"cursor": cursor} if cursor else {})
            body = json.loads(raw.get(url + "/predictions", params=params).content)
            count += sum(1 for item in body["items"] if item["id"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
        return count

    figures = {
        "get": {
            "raw": lambda: json.loads(raw.get(f"{url}/predictions/{pid}").content),
            "predictkit": lambda: ours.predictions.get(pid),
        },
        "page": {
            "raw": lambda: json.loads(raw.get(url + "/predictions?page_size=50").content),
            "predictkit": lambda: ours.predictions.list({"page_size": 50}),
        },
        "walk": {
            "raw": raw_walk,
            "predictkit": lambda: sum(1 for p in ours.predictions.list({"page_size": 50}) if p.id),
        },
    }
    return figures, [raw, ours]


def measure(
    figure: dict[str, Callable[[], object]],
    rounds: int,
    block: int,
    clock: Callable[[], float] = time.thread_time,
) -> dict[str, tuple[float, float]]:
    """Median CPU µs per call of each contender, and its median per-round difference to raw."""
    names = list(figure)
    for fn in figure.values():
        for _ in range(3):
            fn()
    per_round: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            fn = figure[name]
            start = clock()
            for _ in range(block):
                fn()
            per_round[name].append((clock() - start) / block * 1e6)
    base = per_round["raw"]
    return {
        name: (
            statistics.median(times),
            statistics.median([t - b for t, b in zip(times, base, strict=True)]),
        )
        for name, times in per_round.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", choices=["get", "page", "walk"])
    parser.add_argument(
        "--loopback",
        action="store_true",
        help="against the reference server in its own process, in CPU time of this process",
    )
    args = parser.parse_args()
    clock = time.thread_time
    with contextlib.ExitStack() as stack:
        if args.loopback:
            server = stack.enter_context(served())
            seed(server, 499)
            with Client(access_token=server.token, api_base_url=server.url) as client:
                params: CreatePredictionParams = {"input": {"text": "x" * 200}}
                pid = client.predictions.create(params, "demo/echo", wait=True).id
            figures, clients = contenders(None, pid, server.token, server.url)
            clock = time.process_time  # the watchdog's thread included
        else:
            figures, clients = contenders(*capture(500))
        run(args, figures, clock)
        for client in clients:
            client.close()


def run(args: argparse.Namespace, figures: dict[str, Any], clock: Callable[[], float]) -> None:
    if args.profile:
        # This folder's profile.py would shadow the standard one cProfile imports.
        sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
        import cProfile  # noqa: PLC0415 - only here
        import pstats  # noqa: PLC0415

        fn = figures[args.profile]["predictkit"]
        fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(2000 if args.profile != "walk" else 100):
            fn()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    blocks = {"get": 200, "page": 100, "walk": 5}
    for name, figure in figures.items():
        result = measure(figure, args.rounds, blocks[name], clock)
        raw_us = result["raw"][0]
        ours_us, extra = result["predictkit"]
        print(
            f"{name:5s} raw {raw_us:8.1f} us  predictkit {ours_us:8.1f} us  "
            f"+{extra:7.1f} us ({(raw_us + extra) / raw_us:.3f}x)"
        )


if __name__ == "__main__":
    main()
