"""Bounded time and memory against a hostile reference server (issue 8, items 4 and 5).

Each test would take tens of seconds, or hundreds of MiB, with per-read timeouts and unbounded
reads. They assert on the typed error the bound produces (and, for memory, on a tracemalloc
peak far below what reading the whole answer costs), never on how many seconds passed.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from predictkit import (
    APITimeoutError,
    Client,
    ResponseTooLargeError,
    ServerError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit._body import MAX_ERROR_BODY
from predictkit.testing import Fault, ReferenceServer

DRIP = 0.05
"""Seconds between two dripped bytes: fast enough that no per-read timeout ever trips."""
CAP = 1024 * 1024
HUGE = 32 * CAP


@pytest.fixture
def server() -> Iterator[ReferenceServer]:
    # Our own server: closing it ends any drip still running, so nothing outlives the test.
    with ReferenceServer() as server:
        yield server


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(mode: str, client: Client, name: str, *args: Any, **kwargs: Any) -> Any:
    predictions = client.predictions
    if mode == "sync":
        return getattr(predictions, name)(*args, **kwargs)

    async def run() -> Any:
        return await getattr(predictions, f"async_{name}")(*args, **kwargs)

    return asyncio.run(run())


def running(server: ReferenceServer, *, stream: bool | None = None) -> str:
    """A prediction that runs for a minute (asking for an event stream, or not, or the
    default)."""
    with Client(access_token=server.token, api_base_url=server.url) as client:
        if stream is None:
            return client.predictions.create({"input": {"sleep": 60}}, "demo/echo").id
        return client.predictions.create({"input": {"sleep": 60}, "stream": stream}, "demo/echo").id


def peak_bytes(action: Callable[[], object]) -> int:
    """The most Python memory allocated while ``action`` ran (its exception is the caller's)."""
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# --- time ------------------------------------------------------------------------------------


def test_a_dripping_body_ends_at_the_clients_timeout(server: ReferenceServer, mode: str) -> None:
    pid = running(server)
    server.inject("get_prediction", Fault.drip(DRIP))
    # Each byte arrives well within the 1 s read timeout; only a whole-response bound stops
    # this before the ~20 s the drip takes.
    with (
        Client(server.token, server.url, timeout=1, max_retries=0) as client,
        pytest.raises(APITimeoutError),
    ):
        call(mode, client, "get", pid)


def test_a_wait_is_bounded_against_dripping_polls(server: ReferenceServer, mode: str) -> None:
    pid = running(server, stream=False)
    server.inject("get_prediction", Fault.drip(DRIP), times=50)
    with (
        Client(server.token, server.url, timeout=30) as client,
        pytest.raises(WaitTimeoutError) as caught,
    ):
        call(mode, client, "wait", pid, WaitOptions(timeout=1))
    # The wait ended at its deadline inside the first dripping fetch, so it never saw a state.
    assert caught.value.prediction is None
    assert caught.value.prediction_id == pid


def test_a_stream_that_never_completes_an_event_does_not_hold_a_wait(
    server: ReferenceServer, mode: str
) -> None:
    pid = running(server, stream=True)
    with Client(server.token, server.url) as client:
        first = client.predictions.get(pid)
        assert first.stream is True
        never_ends = b"data: " + b"x" * 1000
        server.inject(
            "stream_prediction",
            Fault.drip(DRIP, body=never_ends, content_type="text/event-stream"),
            times=5,
        )
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as caught:
            call(mode, client, "wait", pid, WaitOptions(timeout=1))
        took = time.monotonic() - started
    assert caught.value.prediction is not None and caught.value.prediction.status != "succeeded"
    streams = [r for r in server.requests if r.operation_id == "stream_prediction"]
    assert len(streams) == 1
    # The outcome alone cannot tell: a wait that read to the drip's end also times out, ~50 s
    # later. Half the drip is a bound no loaded machine comes near (the wait takes ~1.5 s).
    assert took < len(never_ends) * DRIP / 2


def test_a_dripping_download_ends_at_its_deadline(
    server: ReferenceServer, mode: str, tmp_path: Any
) -> None:
    with Client(server.token, server.url) as client:
        p = client.predictions.create(
            {"input": {"output_file": "x" * 1000}}, "demo/echo", wait=True
        )
        server.inject("download_file", Fault.drip(DRIP))
        target = tmp_path / "out.bin"
        with pytest.raises(APITimeoutError) as caught:
            call(mode, client, "download_output", p.output, target, timeout=1)
    assert str(target) in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_stalled_download_ends_at_its_stall_timeout(
    server: ReferenceServer, mode: str, tmp_path: Any
) -> None:
    with Client(server.token, server.url, timeout=60) as client:
        p = client.predictions.create({"input": {"output_file": "abc"}}, "demo/echo", wait=True)
        server.inject("download_file", Fault.delay(60))
        with pytest.raises(APITimeoutError, match="stall_timeout"):
            call(mode, client, "download_output", p.output, tmp_path / "o", stall_timeout=0.5)


# --- memory ----------------------------------------------------------------------------------


def test_a_huge_json_body_is_refused_without_being_held(server: ReferenceServer, mode: str) -> None:
    pid = running(server)
    server.inject("get_prediction", Fault.huge_body(HUGE))
    with Client(server.token, server.url, max_response_bytes=CAP) as client:

        def get() -> None:
            with pytest.raises(ResponseTooLargeError) as caught:
                call(mode, client, "get", pid)
            assert caught.value.limit == CAP
            assert "max_response_bytes" in str(caught.value)

        assert peak_bytes(get) < 8 * CAP


def test_a_gzip_bomb_is_refused_after_at_most_the_cap(server: ReferenceServer, mode: str) -> None:
    pid = running(server)
    server.inject("get_prediction", Fault.huge_body(2 * HUGE, gzip=True))
    with Client(server.token, server.url, max_response_bytes=CAP) as client:

        def get() -> None:
            with pytest.raises(ResponseTooLargeError):
                call(mode, client, "get", pid)

        assert peak_bytes(get) < 8 * CAP


def test_a_huge_error_body_is_kept_only_in_part(server: ReferenceServer, mode: str) -> None:
    pid = running(server)
    server.inject("get_prediction", Fault.huge_body(HUGE, status_code=500))
    with Client(server.token, server.url, max_retries=0) as client:
        caught: list[ServerError] = []

        def get() -> None:
            with pytest.raises(ServerError) as error:
                call(mode, client, "get", pid)
            caught.append(error.value)

        assert peak_bytes(get) < 8 * CAP
    assert caught[0].body is not None and len(caught[0].body) == MAX_ERROR_BODY


def test_one_endless_event_stream_line_is_refused(server: ReferenceServer, mode: str) -> None:
    pid = running(server, stream=True)
    server.inject("stream_prediction", Fault.huge_body(HUGE, content_type="text/event-stream"))
    with Client(server.token, server.url, max_response_bytes=CAP) as client:

        def stream() -> None:
            with pytest.raises(ResponseTooLargeError, match="line of the event stream"):
                if mode == "sync":
                    list(client.predictions.stream(pid))
                else:

                    async def collect() -> None:
                        async for _ in client.predictions.async_stream(pid):
                            pass

                    asyncio.run(collect())

        assert peak_bytes(stream) < 8 * CAP
