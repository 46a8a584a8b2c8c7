"""A stream server that ignores ``after_id`` and replays what it sent (found by the h24 review).

Every connection brought events 1 and 2 again: the stream iterator yielded them again and again
([1 init, 2 output, 1 init, 2 output, ...]) and reconnected at once, forever (11,600 requests
in 25 s), because only a replay of the resume point itself was recognised. Now an event whose
id the consumer has already seen on this stream is not yielded again and is not progress; a
connection bringing nothing new is a failure for the reconnect rules (predictkit._reconnect):
back-off, then StreamError for the iterator and polling for a wait.

Each test bounds what the old code did (events taken, stream requests served), so it fails
rather than hangs.
"""

from __future__ import annotations

import asyncio

import pytest
from predictkit import Client, StreamError, WaitOptions
from predictkit._reconnect import STREAM_RULES, WAIT_RULES

from ._tiny_server import PID, TOKEN, Handler, Reply, Request, frame, prediction, serving

MOST_EVENTS = 50
"""Events a test takes from a stream before it stops (the old code yielded repeats forever)."""
MOST_STREAMS = 50
"""Stream requests the server answers; after that a 404 (the old code reconnected forever)."""

INIT_AND_OUTPUT = frame("1", "init", prediction()) + frame("2", "output", "x")


def replaying(status_after: int | None = None) -> Handler:
    """A server whose every stream connection sends events 1 and 2, then closes; its GET says
    ``starting``, or ``succeeded`` from GET number ``status_after`` on."""
    gets = 0

    def handle(request: Request, reply: Reply) -> None:
        nonlocal gets
        if request.is_stream:
            reply.events(INIT_AND_OUTPUT)
            return
        gets += 1
        done = status_after is not None and gets >= status_after
        reply.json(prediction("succeeded" if done else "starting"))

    return handle


def capped(handle: Handler) -> Handler:
    """``handle``, but a 404 for the stream after MOST_STREAMS stream requests."""
    streams = 0

    def capped_handle(request: Request, reply: Reply) -> None:
        nonlocal streams
        if request.is_stream:
            streams += 1
            if streams > MOST_STREAMS:
                reply.json({"detail": "Not found."}, status=404)
                return
        handle(request, reply)

    return capped_handle


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The iterator's pauses before reconnecting, recorded instead of slept."""
    recorded: list[float] = []

    async def asleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("predictkit.streaming.time.sleep", recorded.append)
    monkeypatch.setattr("predictkit._aio.sleep", asleep)
    return recorded


def take(client: Client, mode: str, **kwargs: object) -> tuple[list[tuple[str, str]], object]:
    """At most MOST_EVENTS events of the stream, and how it ended (None or the error)."""
    taken: list[tuple[str, str]] = []
    if mode == "sync":
        try:
            with client.predictions.stream(PID, **kwargs) as events:  # type: ignore[arg-type]
                for event in events:
                    taken.append((event.id, event.event))
                    if len(taken) >= MOST_EVENTS:
                        break
        except StreamError as exc:
            return taken, exc
        return taken, None

    async def collect() -> object:
        try:
            async with client.predictions.async_stream(PID, **kwargs) as events:  # type: ignore[arg-type]
                async for event in events:
                    taken.append((event.id, event.event))
                    if len(taken) >= MOST_EVENTS:
                        break
        except StreamError as exc:
            return exc
        return None

    return taken, asyncio.run(collect())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_replaying_stream_yields_each_event_once_then_gives_up_with_stream_error(
    mode: str, delays: list[float]
) -> None:
    with (
        serving(capped(replaying())) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        events, ended = take(client, mode)
        streams = server.stream_requests()
    assert events == [("1", "init"), ("2", "output")]  # no duplicates
    assert isinstance(ended, StreamError)
    assert ended.prediction_id == PID
    # One connection that brought events 1 and 2, then the rules' limit of failed ones.
    assert len(streams) == 1 + STREAM_RULES.max_reconnects + 1 == 7
    assert [r.query.get("after_id") for r in streams] == [None] + [["2"]] * 6
    # Back-off between the failed connections: none after the healthy one and the first
    # quick close, then doubling.
    assert delays == [0.0, 0.0, 0.5, 1.0, 2.0, 4.0]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_stream_resumed_after_a_saved_id_does_not_yield_it_again(
    mode: str, delays: list[float]
) -> None:
    with (
        serving(capped(replaying())) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        events, ended = take(client, mode, after_id="2")
        streams = server.stream_requests()
    assert events == [("1", "init")]  # "2" is the caller's: already seen
    assert isinstance(ended, StreamError)
    assert len(streams) == 1 + STREAM_RULES.max_reconnects + 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_repeats_are_skipped_while_new_events_keep_coming(mode: str, delays: list[float]) -> None:
    connections = [0]

    def handle(request: Request, reply: Reply) -> None:
        if not request.is_stream:
            reply.json(prediction("starting"))
            return
        connections[0] += 1
        n = connections[0]
        body = b"".join(frame(str(i), "output", i) for i in range(1, n + 1))
        if n >= 4:
            body += frame("5", "done", {"status": "succeeded"})
        reply.events(body)

    with (
        serving(handle) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        events, ended = take(client, mode)
        streams = server.stream_requests()
    assert ended is None
    assert events == [*((str(i), "output") for i in range(1, 5)), ("5", "done")]
    assert len(streams) == 4  # each connection brought something new: progress, no failure
    assert delays == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_wait_on_a_replaying_stream_falls_back_to_polling(mode: str) -> None:
    # The wait listens first (a wait on an id); a round with only repeats is a failure, each
    # followed by a fetch (WAIT_RULES); after the third the wait polls. The GET says
    # "succeeded" only from the fourth on: a poll after giving up on the stream.
    handle = capped(replaying(status_after=WAIT_RULES.max_reconnects + 2))
    options = WaitOptions(poll_interval=0.05, timeout=60)
    with (
        serving(handle) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        if mode == "sync":
            result = client.predictions.wait(PID, options)
        else:
            result = asyncio.run(client.predictions.async_wait(PID, options))
        streams, gets = server.stream_requests(), server.get_requests()
    assert result.status == "succeeded"
    # One round that heard 1 and 2, then WAIT_RULES' limit of failed rounds; then polls only.
    assert len(streams) == 1 + WAIT_RULES.max_reconnects + 1 == 4
    assert len(gets) == WAIT_RULES.max_reconnects + 2 == 4
    assert server.requests.index(streams[-1]) < server.requests.index(gets[-2])


def replaying_on_one_connection(request: Request, reply: Reply) -> None:
    """Events 1 and 2, then the same two again and again on the same connection (at most
    10,000 times: far past the RECENT_IDS repeats a consumer tolerates)."""
    if not request.is_stream:
        reply.json(prediction("succeeded"))
        return
    reply.events(INIT_AND_OUTPUT)
    for _ in range(10_000):
        try:
            reply.sock.sendall(INIT_AND_OUTPUT)
        except OSError:
            return


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_connection_replaying_without_end_is_stream_error(mode: str) -> None:
    with (
        serving(replaying_on_one_connection) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        events, ended = take(client, mode)
        streams = server.stream_requests()
    assert events == [("1", "init"), ("2", "output")]
    assert isinstance(ended, StreamError)
    assert "replays without end" in str(ended)
    assert len(streams) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_wait_on_a_connection_replaying_without_end_polls(mode: str) -> None:
    options = WaitOptions(poll_interval=0.05, timeout=60)
    with (
        serving(replaying_on_one_connection) as server,
        Client(access_token=TOKEN, api_base_url=server.url) as client,
    ):
        if mode == "sync":
            result = client.predictions.wait(PID, options)
        else:
            result = asyncio.run(client.predictions.async_wait(PID, options))
        streams, gets = server.stream_requests(), server.get_requests()
    assert result.status == "succeeded"
    assert (len(streams), len(gets)) == (1, 1)
