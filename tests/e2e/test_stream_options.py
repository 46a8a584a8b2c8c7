"""Per-call options on ``predictions.stream`` / ``async_stream`` (issue 9: every method takes
``timeout=`` and ``extra_headers=``). Streams took neither: a stream that only sends pings ran
forever, and no header of the caller's reached the server.

``timeout`` bounds the whole stream from the first event asked for (connections, reads,
pauses between reconnects, the end check); at it the iterator raises APITimeoutError, the
error the other calls' timeouts raise.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from predictkit import APITimeoutError, Client, InvalidInputError, PredictionStreamEvent
from predictkit.testing import ReferenceServer

from ._tiny_server import PID, TOKEN, Reply, Request, frame, prediction, serving

TIMEOUT = 1.0
"""Long enough for a loopback connection and its first event under CPU load."""


def drain(client: Client, mode: str, **kwargs: Any) -> tuple[list[str], BaseException | None]:
    """The events' names until the stream ends, and the error it ended with (None: none)."""
    names: list[str] = []

    def sync() -> None:
        with client.predictions.stream(PID, **kwargs) as events:
            names.extend(event.event for event in events)

    async def run() -> None:
        async with client.predictions.async_stream(PID, **kwargs) as events:
            async for event in events:
                names.append(event.event)  # noqa: PERF401 - kept if an error follows

    try:
        sync() if mode == "sync" else asyncio.run(run())
    except Exception as exc:  # the test asserts which
        return names, exc
    return names, None


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_stream_of_only_pings_ends_at_its_timeout(mode: str) -> None:
    outcome: list[int] = []
    handler_done = threading.Event()

    def handle(request: Request, reply: Reply) -> None:
        if not request.is_stream:
            reply.json(prediction("starting"))
            return
        reply.events(frame("1", "init", prediction()))
        try:  # ~200 s of pings at most: far past the timeout
            outcome.append(reply.pings(every=0.02, most=10_000))
        finally:
            handler_done.set()

    with (
        serving(handle) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        began = time.monotonic()
        names, error = drain(client, mode, timeout=TIMEOUT)
        took = time.monotonic() - began
        assert handler_done.wait(30)  # the server notices the client left
        streams = server.stream_requests()
    assert isinstance(error, APITimeoutError), error
    assert error.prediction_id == PID
    assert "timeout of 1 s" in str(error) and "'1'" in str(error)  # the resume point
    assert names == ["init"]
    assert len(streams) == 1
    # The server was still sending pings when the client gave up (not at its own end: -1).
    assert outcome[0] > 0
    assert took >= TIMEOUT


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_silent_stream_ends_at_its_timeout_not_at_the_read_timeout(mode: str) -> None:
    def handle(request: Request, reply: Reply) -> None:
        reply.events()
        reply.hold(most=60)  # no byte for a minute; the read timeout is 35 s

    with (
        serving(handle) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        names, error = drain(client, mode, timeout=TIMEOUT)
    assert isinstance(error, APITimeoutError), error
    assert names == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_timeout_bounds_the_pauses_between_reconnects(mode: str) -> None:
    # Every connection closes at once with nothing: failures, with growing pauses (0, 0.5,
    # 1, 2, 4 s) before StreamError. The stream's timeout ends it first, within a pause.
    def handle(request: Request, reply: Reply) -> None:
        reply.events()

    with (
        serving(handle) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        names, error = drain(client, mode, timeout=1.0)
        streams = server.stream_requests()
    assert isinstance(error, APITimeoutError), error
    assert names == []
    # At most 3 fit in 1 s of pauses (0, 0.5, then 1 s cut to what is left), not the 6 that
    # end in StreamError after 7.5 s; fewer when connections are slow.
    assert 1 <= len(streams) <= 3


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_extra_headers_go_with_every_request_of_a_stream(mode: str) -> None:
    # The server closes idle streams after 0.6 s; resumed after its terminal event, the stream
    # reconnects quietly, then checks the prediction ended (a GET): all carry the header.
    with (
        ReferenceServer(wait_ceiling=0.6) as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        p = client.predictions.create({"input": {}}, model="demo/echo", wait=True)
        done = list(client.predictions.stream(p.id))[-1]
        before = len(server.requests)
        headers = {"X-Trace": "t-26"}
        if mode == "sync":
            rest = list(client.predictions.stream(p.id, after_id=done.id, extra_headers=headers))
        else:

            async def collect() -> list[PredictionStreamEvent]:
                stream = client.predictions.async_stream(
                    p.id, after_id=done.id, extra_headers=headers
                )
                return [event async for event in stream]

            rest = asyncio.run(collect())
        asked = server.requests[before:]
        traces = [(r.operation_id, r.headers.get("x-trace")) for r in asked]
    assert rest == []
    assert ("stream_prediction", "t-26") in traces
    assert ("get_prediction", "t-26") in traces
    assert all(trace == "t-26" for _, trace in traces), traces


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, "Authorization"),
        ({"extra_headers": {"X-Trace": "a\nb"}}, "extra_headers"),
        ({"extra_headers": ["X-Trace"]}, "extra_headers"),
    ],
)
def test_bad_stream_options_are_refused_at_the_call_before_sending(
    mode: str, options: dict[str, Any], match: str
) -> None:
    def handle(request: Request, reply: Reply) -> None:
        reply.json(prediction("starting"))

    with (
        serving(handle) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
        pytest.raises(InvalidInputError, match=match),
    ):
        if mode == "sync":
            client.predictions.stream(PID, **options)
        else:
            client.predictions.async_stream(PID, **options)
    assert server.requests == []
