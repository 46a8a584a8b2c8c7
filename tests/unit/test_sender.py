"""The real Sender (`send` / `asend`) over httpx.MockTransport, with a fake clock.

What a server cannot produce on cue is scripted here: a deadline carried by the call, the exact
per-attempt timeout, retries running out on the async path, streamed error bodies, 422 details,
what CreateOutcomeUnknownError carries, and the log lines each attempt leaves.
"""

from __future__ import annotations

import logging
import time as real_time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import attrs
import httpx
import pytest
from predictkit import (
    APIConnectionError,
    APITimeoutError,
    CreateOutcomeUnknownError,
    NotFoundError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    ValidationError,
    ValidationErrorDetail,
    _http,
)
from predictkit._http import Call, RetryPolicy, Sender, error_from_response
from predictkit.resources.predictions import create_call, get_call

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
BASE = "https://api.test/v1"
URL = f"{BASE}/predictions/{PID}"
NOW = 1_700_000_000.0
START = 100.0
GOOD = {
    "id": PID,
    "model": {"owner": "acme", "name": "echo", "version_number": 3},
    "created_at": "2024-08-24T14:15:22Z",
    "status": "succeeded",
    "updated_at": "2024-08-24T14:15:23Z",
    "setup_time": None,
    "execution_time": None,
    "input": {},
    "output": None,
    "error": None,
}


class FakeTime:
    """Stands in for `_http.time`: monotonic and perf_counter read one clock that sleeps
    advance; anything else falls through to the real module."""

    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def perf_counter(self) -> float:
        return self.now

    def time(self) -> float:
        return NOW

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(real_time, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()

    async def fake_async_sleep(seconds: float) -> None:
        fake.sleep(seconds)

    monkeypatch.setattr(_http, "time", fake)
    # Response deadlines are set on this clock and checked where bodies are read: one clock for
    # all, or a deadline of 105 s on the fake clock has passed on any machine up that long.
    monkeypatch.setattr("predictkit._body.time", fake)
    monkeypatch.setattr("predictkit._aio.time", fake)
    monkeypatch.setattr("predictkit._aio.sleep", fake_async_sleep)
    return fake


class Server:
    """Answers each request with the next scripted response or exception; each takes
    ``takes`` seconds of the fake clock."""

    def __init__(self, clock: FakeTime, *script: httpx.Response | Exception, takes: float = 0.0):
        self.clock = clock
        self.script = list(script)
        self.takes = takes
        self.requests: list[httpx.Request] = []
        self.sent_timeouts: list[dict[str, float | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.sent_timeouts.append(dict(request.extensions["timeout"]))  # one request object
        assert self.script, "more requests than scripted"
        self.clock.now += self.takes
        outcome = self.script.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def timeouts(self) -> list[dict[str, float | None]]:
        return self.sent_timeouts


def sender(max_retries: int = 2, timeout: httpx.Timeout | None = None) -> Sender:
    return Sender(
        base_url=BASE,
        token="tok",
        headers={},
        timeout=timeout or httpx.Timeout(5.0),
        policy=RetryPolicy(max_retries=max_retries, jitter=lambda: 0.0),
    )


def send(server: Server, call: Call, *, stream: bool | None = None, **kw: Any) -> httpx.Response:
    """Sender.send over ``server``; ``stream`` is passed only when given (None: the default)."""
    streaming = {} if stream is None else {"stream": stream}
    with httpx.Client(transport=httpx.MockTransport(server)) as http:
        return sender(**kw).send(http, call, **streaming)


async def asend(
    server: Server, call: Call, *, stream: bool | None = None, **kw: Any
) -> httpx.Response:
    streaming = {} if stream is None else {"stream": stream}
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        return await sender(**kw).asend(http, call, **streaming)


def get(deadline: float | None = None, timeout: httpx.Timeout | None = None) -> Call:
    return attrs_evolve(get_call(PID), deadline=deadline, timeout=timeout)


def attrs_evolve(call: Call, **changes: Any) -> Call:
    return attrs.evolve(call, **changes)


def create(deadline: float | None = None) -> Call:
    call = create_call({"input": {"prompt": "hi"}}, "acme/echo:3", server_wait=None)
    return attrs_evolve(call, deadline=deadline)


def ok(status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=GOOD)


def cut(seconds: float) -> dict[str, float]:
    return {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}


# --- a deadline carried by the call ------------------------------------------------------------


def test_a_retry_runs_only_if_it_leaves_time_before_the_deadline(clock: FakeTime) -> None:
    server = Server(clock, *(httpx.Response(503) for _ in range(3)), ok())
    with pytest.raises(ServerError):
        send(server, get(deadline=START + 1.2))
    # 0.5 s backoff fits; the next (1.0 s, ending at 101.5) would pass the deadline (101.2).
    assert clock.slept == [0.5]
    assert len(server.requests) == 2


def test_a_retry_ending_exactly_at_the_deadline_is_not_attempted(clock: FakeTime) -> None:
    server = Server(clock, httpx.Response(503), ok())
    with pytest.raises(ServerError):
        send(server, get(deadline=START + 0.5))
    assert clock.slept == []
    assert len(server.requests) == 1


def test_transport_failures_also_stop_retrying_at_the_deadline(clock: FakeTime) -> None:
    server = Server(clock, httpx.ConnectError("down"), httpx.ConnectError("down"), ok())
    with pytest.raises(APIConnectionError):
        send(server, get(deadline=START + 0.7))
    assert clock.slept == [0.5]
    assert len(server.requests) == 2


async def test_async_retries_stop_at_the_deadline(clock: FakeTime) -> None:
    server = Server(clock, *(httpx.ReadTimeout("slow") for _ in range(3)), ok())
    with pytest.raises(APITimeoutError):
        await asend(server, get(deadline=START + 1.2))
    assert clock.slept == [0.5]
    assert len(server.requests) == 2


def test_without_a_deadline_every_retry_runs(clock: FakeTime) -> None:
    server = Server(clock, httpx.Response(503), httpx.Response(503), ok())
    assert send(server, get()).status_code == 200
    assert clock.slept == [0.5, 1.0]


def test_each_attempt_gets_only_the_time_the_deadline_leaves(clock: FakeTime) -> None:
    server = Server(clock, httpx.Response(503), ok(), takes=0.25)
    send(server, get(deadline=START + 2.0))
    # First attempt: 2.0 s left. Second: after 0.25 s in flight and a 0.5 s sleep, 1.25 s.
    assert server.timeouts() == [cut(2.0), cut(1.25)]


async def test_async_attempts_get_only_the_time_the_deadline_leaves(clock: FakeTime) -> None:
    server = Server(clock, httpx.Response(503), ok(), takes=0.25)
    await asend(server, get(deadline=START + 2.0))
    assert server.timeouts() == [cut(2.0), cut(1.25)]


def test_a_timeout_shorter_than_the_deadline_is_kept(clock: FakeTime) -> None:
    own = httpx.Timeout(connect=1.0, read=None, write=3.0, pool=0.5)
    server = Server(clock, ok())
    send(server, get(deadline=START + 2.0, timeout=own))
    # An unlimited (None) timeout is cut to the time left; shorter ones stay as they are.
    assert server.timeouts() == [{"connect": 1.0, "read": 2.0, "write": 2.0, "pool": 0.5}]


def test_an_attempt_past_the_deadline_gets_a_tiny_positive_timeout(clock: FakeTime) -> None:
    server = Server(clock, ok())
    send(server, get(deadline=START - 5.0))
    assert server.timeouts() == [cut(0.001)]


def test_a_create_is_never_cut_short_by_the_deadline(clock: FakeTime) -> None:
    server = Server(clock, ok(201))
    send(server, create(deadline=START + 0.2))
    assert server.timeouts() == [cut(5.0)]


def test_without_a_deadline_the_sender_timeout_applies(clock: FakeTime) -> None:
    server = Server(clock, ok())
    send(server, get(), timeout=httpx.Timeout(7.0, connect=2.0))
    assert server.timeouts() == [{"connect": 2.0, "read": 7.0, "write": 7.0, "pool": 7.0}]


def test_a_create_429_past_the_deadline_is_a_rate_limit_error(clock: FakeTime) -> None:
    server = Server(clock, httpx.Response(429, headers={"retry-after": "5"}), ok(201))
    with pytest.raises(RateLimitError) as info:
        send(server, create(deadline=START + 1.0))
    assert info.value.retry_after == 5.0
    assert len(server.requests) == 1


# --- retries running out -----------------------------------------------------------------------


async def test_async_retries_run_out_after_max_retries(clock: FakeTime) -> None:
    server = Server(clock, *(httpx.Response(503, json={"detail": "busy"}) for _ in range(3)))
    with pytest.raises(ServerError) as info:
        await asend(server, get())
    assert len(server.requests) == 3
    assert clock.slept == [0.5, 1.0]
    assert info.value.prediction_id == PID


async def test_async_transport_retries_run_out(clock: FakeTime) -> None:
    server = Server(clock, *(httpx.ConnectError("refused") for _ in range(4)))
    with pytest.raises(APIConnectionError):
        await asend(server, get(), max_retries=3)
    assert len(server.requests) == 4
    assert clock.slept == [0.5, 1.0, 2.0]


# --- a 429's pause and x-ratelimit-reset --------------------------------------------------------


@pytest.mark.parametrize("run", ["sync", "async"])
async def test_a_429_pauses_as_long_as_the_server_asks(clock: FakeTime, run: str) -> None:
    server = Server(clock, httpx.Response(429, headers={"retry-after": "7"}), ok())
    if run == "sync":
        send(server, get())
    else:
        await asend(server, get())
    assert clock.slept == [7.0]


def test_only_a_429_honours_x_ratelimit_reset(clock: FakeTime) -> None:
    reset = {"x-ratelimit-reset": str(int(NOW) + 30)}
    server = Server(clock, httpx.Response(503, headers=reset), httpx.Response(429, headers=reset))
    server.script.append(ok())
    send(server, get())
    # The 503 carries the header too (it rides on every response) but backs off as usual.
    assert clock.slept == [0.5, 30.0]


def test_a_429_error_reports_the_reset_as_retry_after(clock: FakeTime) -> None:
    reset = {"x-ratelimit-reset": str(int(NOW) + 90)}
    server = Server(clock, httpx.Response(429, headers=reset))
    with pytest.raises(RateLimitError) as info:
        send(server, get())
    assert info.value.retry_after == 90.0  # beyond MAX_RETRY_AFTER: raised at once
    assert clock.slept == []


def test_a_reset_above_1e9_is_a_unix_time_and_below_it_seconds_from_now() -> None:
    def reset(value: str) -> float | None:
        return _http.retry_after({"x-ratelimit-reset": value}, now=10.0)

    assert reset("1000000001") == 1000000001 - 10.0
    assert reset("1000000000") == 1e9


# --- streamed error bodies are read and closed --------------------------------------------------


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that is not read until someone iterates it, and records being closed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield self.data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


@pytest.mark.parametrize("run", ["sync", "async"])
async def test_a_streamed_error_response_is_read_then_closed(clock: FakeTime, run: str) -> None:
    body = Body(b'{"detail": "Prediction not found"}')
    headers = {"content-type": "application/json"}
    server = Server(clock, httpx.Response(404, stream=body, headers=headers))
    with pytest.raises(NotFoundError) as info:
        if run == "sync":
            send(server, get(), stream=True)
        else:
            await asend(server, get(), stream=True)
    assert info.value.body == b'{"detail": "Prediction not found"}'
    assert "Prediction not found" in str(info.value)
    assert body.closed


@pytest.mark.parametrize("run", ["sync", "async"])
async def test_a_success_is_returned_unread_when_streaming(clock: FakeTime, run: str) -> None:
    body = Body(b"data: 1\n\n")
    server = Server(clock, httpx.Response(200, stream=body))
    if run == "sync":
        response = send(server, get(), stream=True)
        assert not response.is_stream_consumed
        assert response.read() == b"data: 1\n\n"
    else:
        response = await asend(server, get(), stream=True)
        assert not response.is_stream_consumed


@pytest.mark.parametrize("run", ["sync", "async"])
async def test_a_success_is_read_unless_streaming_is_asked_for(clock: FakeTime, run: str) -> None:
    server = Server(clock, httpx.Response(200, stream=Body(b"{}")))
    if run == "sync":
        response = send(server, get())
    else:
        response = await asend(server, get())
    assert response.content == b"{}"


# --- error contents -----------------------------------------------------------------------------


def test_422_details_are_parsed_item_by_item(clock: FakeTime) -> None:
    detail = [
        {"loc": ["body", "input", 0], "msg": "field required", "type": "missing"},
        "not an item",
        {"loc": "body", "msg": 5},
        {"loc": ["body", None, 1.5, "x"]},
    ]
    server = Server(clock, httpx.Response(422, json={"detail": detail}))
    with pytest.raises(ValidationError) as info:
        send(server, get())
    assert info.value.details == [
        ValidationErrorDetail(loc=("body", "input", 0), msg="field required", type="missing"),
        ValidationErrorDetail(loc=(), msg="5", type=""),
        ValidationErrorDetail(loc=("body", "x"), msg="", type=""),
    ]
    assert info.value.status_code == 422
    assert "body.input.0: field required" in str(info.value)


def test_create_outcome_unknown_after_a_5xx_carries_the_response(clock: FakeTime) -> None:
    server = Server(clock, httpx.Response(502, content=b"<html>", headers={"x-request-id": "r9"}))
    with pytest.raises(CreateOutcomeUnknownError) as info:
        send(server, attrs_evolve(create(), prediction_id="p-1"))
    err = info.value
    assert (err.method, err.url, err.status_code, err.request_id, err.body, err.prediction_id) == (
        "POST",
        f"{BASE}/predictions",
        502,
        "r9",
        b"<html>",
        "p-1",
    )
    assert "client.predictions.list()" in str(err)


def test_create_outcome_unknown_after_sending_carries_the_request(clock: FakeTime) -> None:
    server = Server(clock, httpx.ReadTimeout("slow"))
    with pytest.raises(CreateOutcomeUnknownError) as info:
        send(server, attrs_evolve(create(), prediction_id="p-2"))
    err = info.value
    assert (err.method, err.url, err.prediction_id) == ("POST", f"{BASE}/predictions", "p-2")
    assert "ReadTimeout" in str(err)
    assert "client.predictions.list()" in str(err)


@pytest.mark.parametrize(
    ("exc", "cls", "names"),
    [
        (httpx.ReadTimeout("slow"), APITimeoutError, "ReadTimeout"),
        (httpx.ConnectError("refused"), APIConnectionError, "ConnectError: refused"),
        (httpx.DecodingError("bad gzip"), ResponseParseError, "bad gzip"),
    ],
)
def test_transport_errors_carry_the_request(
    clock: FakeTime, exc: httpx.RequestError, cls: type[Exception], names: str
) -> None:
    server = Server(clock, *([exc] * 3))
    with pytest.raises(cls) as info:
        send(server, get())
    err = info.value
    assert type(err) is cls
    assert (err.method, err.url, err.prediction_id) == ("GET", URL, PID)  # type: ignore[attr-defined]
    assert f"GET /v1/predictions/{PID}" in str(err)
    assert names in str(err)


def test_a_connection_error_without_detail_still_says_so() -> None:
    request = httpx.Request("GET", URL)
    err = _http.error_from_exception(httpx.ConnectError(""), request, get())
    assert "ConnectError: no detail" in str(err)


def test_an_empty_detail_does_not_replace_the_status_line() -> None:
    response = httpx.Response(418, json={"detail": ""}, request=httpx.Request("GET", URL))
    expected = f"GET /v1/predictions/{PID} failed: 418 I'm a teapot"
    assert str(error_from_response(response)) == expected


def test_a_5xx_without_hints_gives_no_advice() -> None:
    response = httpx.Response(503, request=httpx.Request("GET", URL))
    with_hint = str(error_from_response(response))
    without = str(error_from_response(response, hints=False))
    assert without == f"GET /v1/predictions/{PID} failed: 503 Service Unavailable"
    assert with_hint.startswith(without) and len(with_hint) > len(without)


def test_a_status_without_a_reason_phrase_reads_error() -> None:
    response = httpx.Response(599, request=httpx.Request("GET", URL))
    assert str(error_from_response(response, hints=False)).endswith("failed: 599 Error")


# --- what each attempt logs ---------------------------------------------------------------------


def test_each_attempt_and_retry_is_logged(
    clock: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    server = Server(clock, httpx.Response(503), httpx.ConnectError("down"), ok(), takes=0.25)
    with caplog.at_level(logging.DEBUG, logger="predictkit"):
        send(server, get())
    where = f"GET /v1/predictions/{PID}"
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("DEBUG", f"{where} -> 503 (250.0 ms)"),
        ("INFO", f"retrying {where} in 0.50s after 503 (retry 1 of 2)"),
        ("DEBUG", f"{where} -> ConnectError (250.0 ms)"),
        ("INFO", f"retrying {where} in 1.00s after ConnectError (retry 2 of 2)"),
        ("DEBUG", f"{where} -> 200 (250.0 ms)"),
    ]


# --- unreadable bodies --------------------------------------------------------------------------


def test_an_unreadable_success_body_names_the_problem_and_the_request() -> None:
    def build(data: object) -> object:
        raise KeyError("status")

    response = httpx.Response(200, json={}, request=httpx.Request("GET", URL))
    with pytest.raises(ResponseParseError) as info:
        _http.parse_body(response, build)
    assert info.value.url == URL
    assert "KeyError: 'status'" in str(info.value)


@pytest.mark.parametrize(
    ("headers", "described"),
    [
        ({"content-type": "text/html; charset=utf-8"}, "text/html, 6 bytes)"),
        ({}, ": no content type, 6 bytes)"),
    ],
)
def test_a_non_json_body_is_described_by_its_media_type_and_size(
    headers: dict[str, str], described: str
) -> None:
    response = httpx.Response(
        502, content=b"<html>", headers=headers, request=httpx.Request("GET", URL)
    )
    assert described in str(error_from_response(response))


def test_only_a_text_detail_is_quoted_in_the_message() -> None:
    detail = [{"loc": ["body"], "msg": "bad"}]
    response = httpx.Response(400, json={"detail": detail}, request=httpx.Request("GET", URL))
    assert (
        str(error_from_response(response)) == f"GET /v1/predictions/{PID} failed: 400 Bad Request"
    )
