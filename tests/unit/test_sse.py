"""SSE framing, resume bookkeeping, the stream request, and iterators over in-memory responses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from predictkit import APITimeoutError, InvalidInputError, StreamError
from predictkit._call import Call
from predictkit._sse import DEFAULT_IDLE, stream_call
from predictkit.streaming import (
    MAX_RECONNECTS,
    QUIET_BEFORE_CHECK,
    AsyncPredictionStream,
    PredictionStream,
    PredictionStreamEvent,
    SSEDecoder,
    _Resume,
    is_stream_unavailable,
)
from predictkit_api.models.prediction_stream_event_type import PredictionStreamEventType

from ._calls import to_request

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"


def feed_all(decoder: SSEDecoder, lines: list[str]) -> list[PredictionStreamEvent]:
    events = []
    for line in lines:
        event = decoder.feed(line)
        if event is not None:
            events.append(event)
    return events


def triple(event: PredictionStreamEvent) -> tuple[str, str, Any]:
    return (event.id, event.event, event.data)


# --- SSEDecoder --------------------------------------------------------------------------------


def test_decoder_reads_id_event_and_data() -> None:
    events = feed_all(SSEDecoder(), ["id: 1", "event: output", 'data: {"a": 1}', ""])
    assert [triple(e) for e in events] == [("1", "output", {"a": 1})]


def test_field_lines_do_not_dispatch_until_blank_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed("id: 1") is None
    assert decoder.feed("event: output") is None
    assert decoder.feed("data: 1") is None
    event = decoder.feed("")
    assert event is not None
    assert triple(event) == ("1", "output", 1)


def test_space_after_colon_is_optional_and_only_one_is_stripped() -> None:
    events = feed_all(SSEDecoder(), ["id:7", "event:done", "data:null", ""])
    assert [triple(e) for e in events] == [("7", "done", None)]
    events = feed_all(SSEDecoder(), ["id:  7", "event: output", "data: 1", ""])
    assert events[0].id == " 7"


def test_comments_are_ignored() -> None:
    lines = [": keep-alive", "id: 1", ": another", "event: output", "data: 2", ":", ""]
    assert [triple(e) for e in feed_all(SSEDecoder(), lines)] == [("1", "output", 2)]


def test_comment_alone_dispatches_nothing() -> None:
    assert feed_all(SSEDecoder(), [": ping", "", ": ping", ""]) == []


def test_multi_line_data_is_joined_with_newlines() -> None:
    events = feed_all(
        SSEDecoder(), ["id: 1", "event: output", 'data: {"a":', "data: [1,", "data: 2]}", ""]
    )
    assert events[0].data == {"a": [1, 2]}
    with pytest.raises(StreamError, match=r"'1\\n2'"):
        feed_all(SSEDecoder(), ["id: 9", "event: output", "data: 1", "data: 2", ""])


def test_event_without_data_is_not_dispatched_and_does_not_leak_its_name() -> None:
    decoder = SSEDecoder()
    assert feed_all(decoder, ["id: 1", "event: done", ""]) == []
    # The next event has no event: field, so the stale "done" must not be applied to it.
    events = feed_all(decoder, ["id: 2", "data: 5", ""])
    assert [triple(e) for e in events] == [("2", "message", 5)]


def test_unknown_fields_and_retry_are_ignored() -> None:
    lines = ["retry: 1000", "id: 3", "foo: bar", "event: output", "data: [3]", "x-custom:", ""]
    assert [triple(e) for e in feed_all(SSEDecoder(), lines)] == [("3", "output", [3])]


def test_retry_alone_dispatches_nothing() -> None:
    assert feed_all(SSEDecoder(), ["retry: 5", ""]) == []


def test_several_events_in_one_stream() -> None:
    lines = [
        "id: 1", "event: init", 'data: {"id": "p"}', "",
        "id: 2", "event: output", 'data: "chunk"', "",
        "id: 3", "event: done", "data: {}", "",
    ]  # fmt: skip
    events = feed_all(SSEDecoder(), lines)
    assert [triple(e) for e in events] == [
        ("1", "init", {"id": "p"}),
        ("2", "output", "chunk"),
        ("3", "done", {}),
    ]


def test_missing_id_gives_empty_id_and_id_persists() -> None:
    decoder = SSEDecoder()
    assert feed_all(decoder, ["event: output", "data: 1", ""])[0].id == ""
    feed_all(decoder, ["id: 4", "event: output", "data: 1", ""])
    assert feed_all(decoder, ["event: output", "data: 2", ""])[0].id == "4"


def test_unknown_event_name_is_passed_through() -> None:
    events = feed_all(SSEDecoder(), ["id: 1", "event: progress", "data: 0.5", ""])
    assert triple(events[0]) == ("1", "progress", 0.5)


@pytest.mark.parametrize("data", ["not json", "{", "'single'", "", "[1,"])
def test_non_json_data_raises_stream_error(data: str) -> None:
    decoder = SSEDecoder()
    for line in ["id: 5", "event: output", f"data: {data}"]:
        assert decoder.feed(line) is None
    with pytest.raises(StreamError, match="not JSON") as info:
        decoder.feed("")
    assert "'5'" in str(info.value)


# --- _Resume -----------------------------------------------------------------------------------


def ev(
    event_id: str, name: PredictionStreamEventType = "output", data: Any = 1
) -> PredictionStreamEvent:
    return PredictionStreamEvent(id=event_id, event=name, data=data)


def test_accept_drops_the_replayed_event_and_repeats_but_not_inherited_ids() -> None:
    state = _Resume(PID, last_event_id="4", idle=30.0)
    state.call()  # a connection resuming after "4"
    assert state.accept(ev("4")) is False  # the server replayed the event we resumed after
    assert state.accept(ev("5")) is True
    # An event without an id line inherits the previous id (SSE rules): it is new, keep it.
    assert state.accept(ev("5"), own_id=False) is True
    # One that carries an id already seen on this stream is a repeat: not yielded again.
    assert state.accept(ev("5")) is False
    assert state.accept(ev("4")) is False
    assert state.last_event_id == "5"
    assert state.finished is False


def test_quiet_connections_that_lasted_are_not_failures() -> None:
    now = [0.0]
    state = _Resume(PID, "1", 30.0, clock=lambda: now[0])
    checks = 0
    for _ in range(MAX_RECONNECTS * 4):  # a prediction silent for many idle gaps
        state.call()
        now[0] += 2.0  # connecting and the response headers take their time...
        state.opened()
        now[0] += 30.0  # ...then the server closes the stream after its idle gap
        assert state.on_disconnect(None) == 0.0
        checks += state.should_check_end()
    assert state.failures == 0
    # Every QUIET_BEFORE_CHECK quiet connections, the stream asks whether the prediction ended.
    assert checks == MAX_RECONNECTS * 4 // QUIET_BEFORE_CHECK
    for _ in range(MAX_RECONNECTS):  # but connections that end at once, with nothing, count
        state.call()
        now[0] += 2.0  # (a slow connect does not make a connection "last")
        state.opened()
        state.on_disconnect(None)
    with pytest.raises(StreamError):
        state.on_disconnect(None)


def test_stream_keeps_events_without_their_own_id() -> None:
    body = (
        b'id: 1\nevent: output\ndata: "A"\n\n'
        b'event: output\ndata: "B"\n\n'
        b"id: 2\nevent: done\ndata: {}\n\n"
    )

    def opener(call: Call) -> httpx.Response:
        return httpx.Response(200, content=body, request=to_request(call))

    events = list(PredictionStream(opener, PID))
    assert [e.data for e in events] == ["A", "B", {}]


def test_accept_marks_terminal_events_finished() -> None:
    for name in ("done", "error"):
        state = _Resume(PID, None, 30.0)
        assert state.accept(ev("1", name)) is True
        assert state.finished is True
    state = _Resume(PID, None, 30.0)
    state.accept(ev("1", "init"))
    assert state.finished is False


def test_accept_event_without_id_keeps_last_id() -> None:
    state = _Resume(PID, "3", 30.0)
    assert state.accept(ev("")) is True
    assert state.last_event_id == "3"


def test_on_disconnect_backoff_grows_then_raises() -> None:
    state = _Resume(PID, "7", 30.0)
    cause = httpx.ReadError("boom")
    delays = [state.on_disconnect(cause) for _ in range(MAX_RECONNECTS)]
    assert delays == [0.25, 0.5, 1.0, 2.0, 4.0]
    with pytest.raises(StreamError) as info:
        state.on_disconnect(cause)
    assert info.value.prediction_id == PID
    assert info.value.__cause__ is cause
    assert "'7'" in str(info.value)
    assert f"{MAX_RECONNECTS} reconnects" in str(info.value)


def test_on_disconnect_clean_close_reconnects_at_once_first() -> None:
    state = _Resume(PID, None, 30.0)
    first = state.on_disconnect(None)
    second = state.on_disconnect(None)
    third = state.on_disconnect(None)
    assert first == 0.0
    assert 0 < second < third


def test_an_event_resets_the_reconnect_budget() -> None:
    state = _Resume(PID, None, 30.0)
    for _ in range(MAX_RECONNECTS):
        state.on_disconnect(None)
    state.accept(ev("1"))
    assert state.failures == 0
    assert state.on_disconnect(None) == 0.0


def test_resume_call_uses_last_event_id() -> None:
    state = _Resume(PID, None, 12.0)
    state.accept(ev("42"))
    call = state.call()
    assert call.kwargs["params"] == {"after_id": "42"}
    assert call.kwargs["headers"]["Prefer"] == "wait=12"


# --- stream_call -------------------------------------------------------------------------------


def test_stream_call_builds_the_resume_request() -> None:
    call = stream_call(PID, "ev-9", 30.0)
    request = to_request(call)
    assert request.method == "GET"
    assert request.url.path == f"/v1/predictions/{PID}/stream"
    assert request.url.params["after_id"] == "ev-9"
    assert request.headers["Prefer"] == "wait=30"
    assert request.headers["Accept"] == "text/event-stream"
    assert call.prediction_id == PID
    assert call.timeout is not None
    assert call.timeout.read == 35.0
    assert call.timeout.connect == 10.0


def test_stream_call_without_after_id_omits_it() -> None:
    request = to_request(stream_call(PID, None, 2.5))
    assert "after_id" not in request.url.params
    assert request.headers["Prefer"] == "wait=2.5"


def test_stream_call_deadline_caps_every_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("predictkit._call.time.monotonic", lambda: 100.0)
    default = httpx.Timeout(30.0)
    near = stream_call(PID, None, 30.0, deadline=103.0)
    assert near.attempt_timeout(default) == httpx.Timeout(3.0)
    gone = stream_call(PID, None, 30.0, deadline=90.0).attempt_timeout(default)
    assert (gone.connect, gone.read) == (0.001, 0.001)
    roomy = stream_call(PID, None, 1.0, deadline=1000.0).attempt_timeout(default)
    assert (roomy.connect, roomy.read) == (10.0, 6.0)  # idle gap + 5 s margin
    assert stream_call(PID, None, 1.0).attempt_timeout(default) == httpx.Timeout(6.0, connect=10.0)


def test_a_deadline_forbids_retry_sleeps_past_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("predictkit._call.time.monotonic", lambda: 100.0)
    call = stream_call(PID, None, 1.0, deadline=101.0)
    assert call.leaves_time_for(0.5)
    assert not call.leaves_time_for(1.5)
    assert stream_call(PID, None, 1.0).leaves_time_for(10**6)


def test_stream_call_quotes_the_id() -> None:
    assert stream_call("a/b", None, 1.0).kwargs["url"] == "/predictions/a%2Fb/stream"


def test_is_stream_unavailable() -> None:
    from predictkit import APIConnectionError, NotFoundError, RateLimitError, ServerError

    assert is_stream_unavailable(NotFoundError("x", status_code=404))
    assert not is_stream_unavailable(RateLimitError("x", status_code=429, retry_after=None))
    assert not is_stream_unavailable(ServerError("x", status_code=503))
    assert not is_stream_unavailable(APIConnectionError("x"))


# --- the iterators, over in-memory responses ---------------------------------------------------


def sse(*events: tuple[str, str, str]) -> bytes:
    return "".join(f"id: {i}\nevent: {e}\ndata: {d}\n\n" for i, e, d in events).encode()


def response_for(call: Call, body: bytes) -> httpx.Response:
    return httpx.Response(200, content=body, request=to_request(call))


def test_prediction_stream_resumes_without_losing_or_repeating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr("predictkit.streaming.time.sleep", sleeps.append)
    bodies = iter(
        [
            sse(("1", "init", "{}"), ("2", "output", '"a"')),
            sse(("2", "output", '"a"'), ("3", "output", '"b"'), ("4", "done", "{}")),
        ]
    )
    calls: list[Call] = []

    def open_response(call: Call) -> httpx.Response:
        calls.append(call)
        return response_for(call, next(bodies))

    with PredictionStream(open_response, PID) as stream:
        events = [triple(e) for e in stream]
        assert stream.last_event_id == "4"
    assert events == [
        ("1", "init", {}),
        ("2", "output", "a"),
        ("3", "output", "b"),
        ("4", "done", {}),
    ]
    assert [c.kwargs["params"] for c in calls] == [{}, {"after_id": "2"}]
    assert sleeps == [0.0]


def test_prediction_stream_gives_up_after_max_reconnects(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr("predictkit.streaming.time.sleep", sleeps.append)
    opened: list[Call] = []

    def open_response(call: Call) -> httpx.Response:
        opened.append(call)
        return response_for(call, b": nothing\n\n")

    stream = PredictionStream(open_response, PID, after_id="x", idle=DEFAULT_IDLE)
    with pytest.raises(StreamError):
        list(stream)
    assert len(opened) == MAX_RECONNECTS + 1
    assert len(sleeps) == MAX_RECONNECTS
    assert all(c.kwargs["params"] == {"after_id": "x"} for c in opened)


async def test_async_prediction_stream_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    # Replace the module's asyncio reference only: the event loop keeps the real asyncio.
    monkeypatch.setattr("predictkit._aio.sleep", fake_sleep)
    bodies: Iterator[bytes] = iter(
        [sse(("1", "output", "1")), sse(("1", "output", "1"), ("2", "error", '{"m": 1}'))]
    )
    calls: list[Call] = []

    async def open_response(call: Call) -> httpx.Response:
        calls.append(call)
        return response_for(call, next(bodies))

    async with AsyncPredictionStream(open_response, PID) as stream:
        events = [triple(e) async for e in stream]
    assert events == [("1", "output", 1), ("2", "error", {"m": 1})]
    assert [c.kwargs["params"] for c in calls] == [{}, {"after_id": "1"}]
    assert sleeps == [0.0]


# --- own ids and the stream's deadline -----------------------------------------------------------


def test_the_decoder_tells_whether_an_event_came_with_its_own_id() -> None:
    decoder = SSEDecoder()
    lines = ["id: 1", "data: 1", "", "data: 2", "", "id: 3", "", "data: 4", ""]
    owned = [decoder.own_id for line in lines if decoder.feed(line) is not None]
    # "2" inherits "1"; an id-only block sets "3", which "4" then carries as new.
    assert owned == [True, False, True]


def test_a_stream_deadline_starts_at_the_first_event_asked_for_and_bounds_everything() -> None:
    now = [100.0]
    state = _Resume(PID, "1", 30.0, clock=lambda: now[0], timeout=10.0)
    assert (state.deadline, state.pause(4.0)) == (None, 4.0)
    now[0] = 150.0  # the iterator was made long before it was used
    state.start()
    state.start()  # only the first counts
    assert state.deadline == 160.0
    call = state.call()
    assert call.deadline == 160.0  # every connection's timeouts and retries are cut to it
    state.opened()
    assert state.stall_deadline() == 160.0  # sooner than the stall (150 + 35)
    now[0] = 158.0
    assert state.pause(4.0) == 2.0
    state.check = True
    now[0] = 160.0
    assert state.should_check_end() is False  # no end check past the deadline...
    with pytest.raises(APITimeoutError) as info:
        state.call()  # ...the next connection raises instead
    assert info.value.prediction_id == PID
    assert "timeout of 10 s" in str(info.value) and "'1'" in str(info.value)
    assert state.pause(4.0) == 0.0


def test_without_a_timeout_a_stream_has_no_deadline() -> None:
    now = [100.0]
    state = _Resume(PID, None, 30.0, clock=lambda: now[0])
    state.start()
    assert state.deadline is None and state.expired() is False
    state.opened()
    assert state.stall_deadline() == 135.0


def test_extra_headers_join_the_stream_request_and_are_checked() -> None:
    request = to_request(stream_call(PID, "4", 30.0, extra_headers={"X-Trace": "t"}))
    assert request.headers["X-Trace"] == "t"
    assert request.headers["Accept"] == "text/event-stream"
    with pytest.raises(InvalidInputError, match="Authorization"):
        stream_call(PID, None, 30.0, extra_headers={"authorization": "Bearer x"})
