"""Retry decisions, Retry-After, error mapping, body parsing, and Sender over MockTransport."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from predictkit import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CreateOutcomeUnknownError,
    MissingTokenError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PredictionWithIO,
    PredictKitError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    ValidationError,
    ValidationErrorDetail,
    _error_map,
    _http,
)
from predictkit._call import Call, Retry
from predictkit._error_map import (
    MAX_RETRY_AFTER,
    error_from_exception,
    error_from_response,
    parse_body,
    retry_after,
)
from predictkit._http import RetryPolicy, Sender
from predictkit.resources._prediction_calls import create_call, get_call

NOW = 1_700_000_000.0
PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
TOKEN = "tok_S3cr3t-Value-1234567890"
BASE = "https://api.test/v1"


def request(method: str = "GET", path: str = f"/v1/predictions/{PID}") -> httpx.Request:
    return httpx.Request(method, "https://api.test" + path)


def response(
    status: int,
    *,
    content: bytes | None = None,
    json_body: Any = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> httpx.Response:
    if json_body is not None:
        return httpx.Response(status, json=json_body, headers=headers, request=request(method))
    return httpx.Response(status, content=content, headers=headers, request=request(method))


def fixed_policy(max_retries: int = 2, jitter: float = 0.0) -> RetryPolicy:
    return RetryPolicy(max_retries=max_retries, jitter=lambda: jitter)


# --- RetryPolicy: statuses ---------------------------------------------------------------------

STATUSES = [408, 409, 422, 429, 500, 502, 503, 520]
RETRIED_STATUS = {
    Retry.IDEMPOTENT: {408, 429, 500, 502, 503, 520},
    Retry.CREATE: {429},
    Retry.NEVER: set(),
}


@pytest.mark.parametrize("retry", list(Retry))
@pytest.mark.parametrize("status", STATUSES)
def test_status_retry_decisions(retry: Retry, status: int) -> None:
    delay = fixed_policy().delay_after_status(response(status), 0, retry)
    if status in RETRIED_STATUS[retry]:
        assert delay == 0.5
    else:
        assert delay is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413])
def test_other_4xx_are_never_retried(status: int) -> None:
    assert fixed_policy().delay_after_status(response(status), 0, Retry.IDEMPOTENT) is None


def test_attempts_stop_at_max_retries() -> None:
    policy = fixed_policy(max_retries=3)
    delays = [policy.delay_after_status(response(503), a, Retry.IDEMPOTENT) for a in range(5)]
    assert delays == [0.5, 1.0, 2.0, None, None]
    exc = httpx.ConnectError("down")
    assert [policy.delay_after_exception(exc, a, Retry.IDEMPOTENT) for a in range(5)] == [
        0.5, 1.0, 2.0, None, None,
    ]  # fmt: skip


def test_zero_max_retries_never_retries() -> None:
    policy = fixed_policy(max_retries=0)
    assert policy.delay_after_status(response(503), 0, Retry.IDEMPOTENT) is None
    assert policy.delay_after_exception(httpx.ConnectError("x"), 0, Retry.IDEMPOTENT) is None


# --- RetryPolicy: exceptions -------------------------------------------------------------------

EXCEPTIONS: list[Callable[[], httpx.TransportError]] = [
    lambda: httpx.ConnectError("refused"),
    lambda: httpx.ConnectTimeout("slow connect"),
    lambda: httpx.PoolTimeout("pool"),
    lambda: httpx.ReadTimeout("slow read"),
    lambda: httpx.RemoteProtocolError("peer closed"),
    lambda: httpx.WriteError("broken pipe"),
]
NOT_SENT = {"ConnectError", "ConnectTimeout", "PoolTimeout"}


@pytest.mark.parametrize("retry", list(Retry))
@pytest.mark.parametrize("make", EXCEPTIONS, ids=lambda m: type(m()).__name__)
def test_exception_retry_decisions(retry: Retry, make: Callable[[], httpx.TransportError]) -> None:
    exc = make()
    delay = fixed_policy().delay_after_exception(exc, 0, retry)
    if retry is Retry.IDEMPOTENT or (retry is Retry.CREATE and type(exc).__name__ in NOT_SENT):
        assert delay == 0.5
    else:
        assert delay is None


@pytest.mark.parametrize(
    "exc",
    [httpx.UnsupportedProtocol("ftp"), httpx.ProxyError("proxy"), httpx.LocalProtocolError("bad")],
)
def test_client_side_mistakes_are_not_retried(exc: httpx.TransportError) -> None:
    assert fixed_policy().delay_after_exception(exc, 0, Retry.IDEMPOTENT) is None


# --- backoff -----------------------------------------------------------------------------------


def test_backoff_without_jitter_doubles_up_to_max_delay() -> None:
    policy = fixed_policy(jitter=0.0)
    assert [policy.backoff(a) for a in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_with_full_jitter_takes_off_a_quarter() -> None:
    policy = fixed_policy(jitter=1.0)
    assert [policy.backoff(a) for a in range(6)] == [0.375, 0.75, 1.5, 3.0, 6.0, 6.0]


@pytest.mark.parametrize("jitter", [0.0, 0.3, 0.999])
def test_backoff_bounds(jitter: float) -> None:
    policy = RetryPolicy(base_delay=0.2, max_delay=3.0, jitter=lambda: jitter)
    for attempt in range(10):
        full = min(0.2 * 2**attempt, 3.0)
        assert 0.75 * full <= policy.backoff(attempt) <= full


def test_default_jitter_stays_in_bounds() -> None:
    policy = RetryPolicy()
    for _ in range(50):
        for attempt in range(6):
            full = min(0.5 * 2**attempt, 8.0)
            assert 0.75 * full <= policy.backoff(attempt) <= full
    assert policy.max_retries == 2


# --- retry_after -------------------------------------------------------------------------------


def h(**headers: str) -> httpx.Headers:
    return httpx.Headers({k.replace("_", "-"): v for k, v in headers.items()})


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (h(retry_after="3"), 3.0),
        (h(retry_after="2.5"), 2.5),
        (h(retry_after="0"), 0.0),
        (h(retry_after="-4"), 0.0),
        (h(retry_after=email.utils.formatdate(NOW + 10, usegmt=True)), 10.0),
        (h(retry_after=email.utils.formatdate(NOW - 10, usegmt=True)), 0.0),
        (h(x_ratelimit_reset=str(int(NOW) + 7)), 7.0),
        (h(x_ratelimit_reset=str(NOW + 1.5)), 1.5),
        (h(x_ratelimit_reset=str(int(NOW) - 7)), 0.0),
        (h(x_ratelimit_reset="5"), 5.0),
        (h(x_ratelimit_reset="0.25"), 0.25),
        (h(retry_after="4", x_ratelimit_reset=str(int(NOW) + 30)), 4.0),
        (h(retry_after="soon", x_ratelimit_reset=str(int(NOW) + 9)), 9.0),
        (h(), None),
        (h(retry_after="soon"), None),
        (h(retry_after=""), None),
        (h(x_ratelimit_reset="tomorrow"), None),
        (h(x_ratelimit_reset=""), None),
        (h(x_ratelimit_limit="3", x_ratelimit_remaining="0"), None),
    ],
)
def test_retry_after(headers: httpx.Headers, expected: float | None) -> None:
    assert retry_after(headers, now=NOW) == expected


def test_retry_after_header_names_are_case_insensitive_on_httpx_headers() -> None:
    assert retry_after(httpx.Headers({"Retry-After": "6"}), now=NOW) == 6.0
    assert retry_after(httpx.Headers({"X-RateLimit-Reset": str(int(NOW) + 2)}), now=NOW) == 2.0


def test_retry_after_uses_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_error_map, "time", SimpleNamespace(time=lambda: NOW))
    assert retry_after(h(x_ratelimit_reset=str(int(NOW) + 12))) == 12.0


def test_server_asked_delay_replaces_backoff() -> None:
    policy = fixed_policy()
    assert (
        policy.delay_after_status(response(429, headers={"retry-after": "3"}), 1, Retry.CREATE)
        == 3.0
    )
    assert (
        policy.delay_after_status(response(503, headers={"retry-after": "7"}), 0, Retry.IDEMPOTENT)
        == 7.0
    )


def test_server_asking_more_than_the_cap_gives_up() -> None:
    policy = fixed_policy()
    too_long = str(MAX_RETRY_AFTER + 1)
    assert (
        policy.delay_after_status(
            response(429, headers={"retry-after": too_long}), 0, Retry.IDEMPOTENT
        )
        is None
    )
    assert (
        policy.delay_after_status(
            response(503, headers={"retry-after": "inf"}), 0, Retry.IDEMPOTENT
        )
        is None
    )
    at_cap = response(429, headers={"retry-after": str(MAX_RETRY_AFTER)})
    assert policy.delay_after_status(at_cap, 0, Retry.CREATE) == MAX_RETRY_AFTER


# --- error_from_response -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, PayloadTooLargeError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (520, ServerError),
        (418, APIStatusError),
        (405, APIStatusError),
    ],
)
def test_error_class_and_fields(status: int, cls: type[APIStatusError]) -> None:
    body = {"detail": "Something specific went wrong"}
    resp = response(status, json_body=body, headers={"x-request-id": "req-123"})
    err = error_from_response(resp, prediction_id=PID)
    assert type(err) is cls
    assert err.status_code == status
    assert err.request_id == "req-123"
    assert err.body == resp.content
    assert json.loads(resp.content) == body
    assert err.method == "GET"
    assert err.url == f"https://api.test/v1/predictions/{PID}"
    assert err.prediction_id == PID
    text = str(err)
    assert f"GET /v1/predictions/{PID} failed: {status}" in text
    assert "request id req-123" in text
    assert f"prediction {PID}" in text
    if status != 422:
        assert "Something specific went wrong" in text
        assert err.detail == "Something specific went wrong"


def test_hints_for_auth_errors() -> None:
    assert "WRIFTAI_ACCESS_TOKEN" in str(
        error_from_response(response(401, json_body={"detail": "x"}))
    )
    assert "not allowed" in str(error_from_response(response(403, json_body={"detail": "x"})))
    assert "smaller" in str(error_from_response(response(413, content=b"")))


def test_validation_error_lists_each_location_and_message() -> None:
    body = {
        "detail": [
            {"loc": ["body", "input", "prompt"], "msg": "Field required", "type": "missing"},
            {"loc": ["body", "input", "steps", 0], "msg": "must be > 0", "type": "greater_than"},
            {"loc": [], "msg": "bad body", "type": "x"},
        ]
    }
    err = error_from_response(response(422, json_body=body, method="POST"))
    assert isinstance(err, ValidationError)
    assert err.details == [
        ValidationErrorDetail(("body", "input", "prompt"), "Field required", "missing"),
        ValidationErrorDetail(("body", "input", "steps", 0), "must be > 0", "greater_than"),
        ValidationErrorDetail((), "bad body", "x"),
    ]
    text = str(err)
    assert "body.input.prompt: Field required" in text
    assert "body.input.steps.0: must be > 0" in text
    assert "(body): bad body" in text


def test_validation_error_without_list_detail_still_reads() -> None:
    err = error_from_response(response(422, json_body={"detail": "nope"}))
    assert isinstance(err, ValidationError)
    assert err.details == []
    assert "invalid request" in str(err)


def test_html_502_says_non_json_body() -> None:
    html = b"<html><body>502 Bad Gateway</body></html>"
    err = error_from_response(
        response(502, content=html, headers={"content-type": "text/html; charset=utf-8"})
    )
    assert isinstance(err, ServerError)
    assert err.body == html
    assert "non-JSON body: text/html" in str(err)
    assert f"{len(html)} bytes" in str(err)
    assert err.detail is None


def test_rate_limit_error_carries_retry_after() -> None:
    err = error_from_response(
        response(429, json_body={"detail": "slow"}, headers={"retry-after": "4"})
    )
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 4.0
    assert "Retry after 4.0s" in str(err)
    err = error_from_response(response(429, content=b""))
    assert isinstance(err, RateLimitError)
    assert err.retry_after is None
    assert "Slow down" in str(err)


def test_error_without_request_id_or_body() -> None:
    err = error_from_response(response(404, content=b""))
    assert err.request_id is None
    assert err.body == b""
    assert str(err) == f"GET /v1/predictions/{PID} failed: 404 Not Found"


def test_deeply_nested_error_body_still_maps_to_a_typed_error() -> None:
    err = error_from_response(response(500, content=b"[" * 100_000))
    assert isinstance(err, ServerError)


# --- error_from_exception ----------------------------------------------------------------------


def test_error_from_exception_kinds() -> None:
    req = request()
    call = Call({}, prediction_id=PID)
    timeout = error_from_exception(httpx.ReadTimeout("t"), req, call)
    assert type(timeout) is APITimeoutError
    assert timeout.prediction_id == PID
    conn = error_from_exception(httpx.ConnectError("refused"), req, call)
    assert type(conn) is APIConnectionError
    assert "refused" in str(conn)
    create = Call({}, retry=Retry.CREATE)
    assert (
        type(error_from_exception(httpx.ReadTimeout("t"), req, create)) is CreateOutcomeUnknownError
    )
    assert type(error_from_exception(httpx.ConnectError("x"), req, create)) is APIConnectionError


# --- parse_body --------------------------------------------------------------------------------

GOOD_PREDICTION: dict[str, Any] = {
    "id": PID,
    "model": {"owner": "acme", "name": "echo", "version_number": 3},
    "created_at": "2024-08-24T14:15:22Z",
    "status": "succeeded",
    "updated_at": "2024-08-24T14:15:23Z",
    "setup_time": None,
    "execution_time": "1.2",
    "input": {"prompt": "hi"},
    "output": ["hello"],
    "error": None,
}


def test_parse_body_success() -> None:
    body = json.dumps(GOOD_PREDICTION).encode()
    prediction = parse_body(response(200, content=body), PredictionWithIO.from_dict)
    assert prediction.id == PID
    assert prediction.output == ["hello"]


def _broken(**changes: Any) -> bytes:
    data = {**GOOD_PREDICTION, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...}).encode()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"",
        b"<html>oops</html>",
        json.dumps(GOOD_PREDICTION).encode()[:-10],
        b"\xff\xfe\x00garbage",
        b"[]",
        b"null",
        b"42",
        b'"a string"',
        _broken(id=...),
        _broken(status=...),
        _broken(model=...),
        _broken(model="acme/echo"),
        _broken(model={"owner": "acme"}),
        _broken(created_at=12345),
        _broken(created_at="yesterday"),
        _broken(status=None),
        _broken(status=7),
    ],
)
def test_parse_body_failures_become_response_parse_error(body: bytes) -> None:
    resp = response(200, content=body, headers={"x-request-id": "req-9"})
    with pytest.raises(ResponseParseError) as info:
        parse_body(resp, PredictionWithIO.from_dict)
    err = info.value
    assert err.body == body
    assert err.status_code == 200
    assert err.request_id == "req-9"
    assert err.method == "GET"
    assert f"GET /v1/predictions/{PID} returned " in str(err)
    assert "raw body is on .body" in str(err) or "not JSON" in str(err)


def test_parse_body_names_the_content_type_of_non_json() -> None:
    resp = response(200, content=b"<html/>", headers={"content-type": "text/html"})
    with pytest.raises(ResponseParseError, match=r"not JSON \(text/html, 7 bytes\)"):
        parse_body(resp, PredictionWithIO.from_dict)


@pytest.mark.parametrize("body", [b"[" * 100_000, b"[" * 100_000 + b"]" * 100_000])
def test_parse_body_deeply_nested_json(body: bytes) -> None:
    with pytest.raises(ResponseParseError):
        parse_body(response(200, content=body), PredictionWithIO.from_dict)


# --- Sender over MockTransport -----------------------------------------------------------------


class Recorder:
    """A MockTransport handler that replays a script and records every request."""

    def __init__(self, *script: httpx.Response | Exception) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, req: httpx.Request) -> httpx.Response:
        self.requests.append(req)
        assert self.script, "more requests than scripted"
        outcome = self.script.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Replace _http's time and asyncio references so retries record delays instead of sleeping."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(
        _http,
        "time",
        SimpleNamespace(
            sleep=recorded.append,
            perf_counter=lambda: 0.0,
            time=lambda: NOW,
            monotonic=time.monotonic,
        ),
    )
    monkeypatch.setattr(_error_map, "time", SimpleNamespace(time=lambda: NOW))  # retry_after
    monkeypatch.setattr("predictkit._aio.sleep", fake_async_sleep)
    return recorded


def sender(token: str | None = TOKEN, max_retries: int = 2) -> Sender:
    return Sender(
        base_url=BASE,
        token=token,
        headers={"User-Agent": "test"},
        timeout=httpx.Timeout(5.0),
        policy=fixed_policy(max_retries=max_retries),
    )


def ok(status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=GOOD_PREDICTION)


def create() -> Call:
    return create_call({"input": {"prompt": "hi"}}, "acme/echo:3", server_wait=None)


def secrets_absent(*texts: str) -> None:
    for text in texts:
        assert TOKEN not in text


def test_idempotent_get_is_retried_on_503_then_succeeds(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(503), httpx.Response(503), ok())
    with httpx.Client(transport=httpx.MockTransport(rec)) as http:
        resp = sender().send(http, get_call(PID))
    assert resp.status_code == 200
    assert len(rec.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert all(r.url == f"{BASE}/predictions/{PID}" for r in rec.requests)


def test_idempotent_get_gives_up_after_max_retries(sleeps: list[float]) -> None:
    rec = Recorder(*(httpx.Response(503, json={"detail": "busy"}) for _ in range(3)))
    with (
        httpx.Client(transport=httpx.MockTransport(rec)) as http,
        pytest.raises(ServerError) as info,
    ):
        sender().send(http, get_call(PID))
    assert len(rec.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert info.value.prediction_id == PID
    assert "busy" in str(info.value)


def test_get_retried_on_connect_error_then_raises_connection_error(sleeps: list[float]) -> None:
    rec = Recorder(*(httpx.ConnectError("refused") for _ in range(3)))
    with (
        httpx.Client(transport=httpx.MockTransport(rec)) as http,
        pytest.raises(APIConnectionError) as info,
    ):
        sender().send(http, get_call(PID))
    assert len(rec.requests) == 3
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_get_404_is_not_retried(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(404, json={"detail": "Prediction not found"}))
    with httpx.Client(transport=httpx.MockTransport(rec)) as http, pytest.raises(NotFoundError):
        sender().send(http, get_call(PID))
    assert len(rec.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_create_is_not_retried_on_5xx(sleeps: list[float], status: int) -> None:
    rec = Recorder(httpx.Response(status, json={"detail": "oops"}, headers={"x-request-id": "r1"}))
    with (
        httpx.Client(transport=httpx.MockTransport(rec)) as http,
        pytest.raises(CreateOutcomeUnknownError) as info,
    ):
        sender().send(http, create())
    assert len(rec.requests) == 1
    assert sleeps == []
    assert info.value.status_code == status
    assert info.value.request_id == "r1"
    assert "may or may not have been created" in str(info.value)


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("closed"), httpx.WriteError("pipe")],
)
def test_create_is_not_retried_after_sending(sleeps: list[float], exc: Exception) -> None:
    rec = Recorder(exc)
    with (
        httpx.Client(transport=httpx.MockTransport(rec)) as http,
        pytest.raises(CreateOutcomeUnknownError) as info,
    ):
        sender().send(http, create())
    assert len(rec.requests) == 1
    assert sleeps == []
    assert info.value.__cause__ is exc


def test_create_is_retried_on_connect_error(sleeps: list[float]) -> None:
    rec = Recorder(httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), ok(201))
    with httpx.Client(transport=httpx.MockTransport(rec)) as http:
        resp = sender().send(http, create())
    assert resp.status_code == 201
    assert len(rec.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert [json.loads(r.content) for r in rec.requests] == [
        {"model": "acme/echo:3", "input": {"prompt": "hi"}}
    ] * 3


def test_create_is_retried_on_429_honouring_retry_after(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(429, headers={"retry-after": "1.5"}), ok(201))
    with httpx.Client(transport=httpx.MockTransport(rec)) as http:
        assert sender().send(http, create()).status_code == 201
    assert len(rec.requests) == 2
    assert sleeps == [1.5]


def test_create_429_with_ratelimit_reset(sleeps: list[float]) -> None:
    reset = {"x-ratelimit-reset": str(int(NOW) + 3)}
    rec = Recorder(httpx.Response(429, headers=reset), ok(201))
    with httpx.Client(transport=httpx.MockTransport(rec)) as http:
        assert sender().send(http, create()).status_code == 201
    assert sleeps == [3.0]


def test_429_asking_too_long_is_raised_at_once(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(429, headers={"retry-after": "3600"}))
    with (
        httpx.Client(transport=httpx.MockTransport(rec)) as http,
        pytest.raises(RateLimitError) as info,
    ):
        sender().send(http, get_call(PID))
    assert len(rec.requests) == 1
    assert info.value.retry_after == 3600.0


def test_never_retry_sends_once(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(503))
    call = Call(get_call(PID).kwargs, retry=Retry.NEVER)
    with httpx.Client(transport=httpx.MockTransport(rec)) as http, pytest.raises(ServerError):
        sender().send(http, call)
    assert len(rec.requests) == 1


def test_authorization_and_headers_are_sent(sleeps: list[float]) -> None:
    rec = Recorder(ok())
    with httpx.Client(transport=httpx.MockTransport(rec)) as http:
        sender().send(http, get_call(PID))
    sent = rec.requests[0]
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["User-Agent"] == "test"
    assert sent.extensions["timeout"]["read"] == 5.0


def test_call_timeout_overrides_the_default(sleeps: list[float]) -> None:
    rec = Recorder(ok(201))
    call = create_call({"input": {}}, "acme/echo", server_wait=60.0)
    with httpx.Client(transport=httpx.MockTransport(rec)) as http:
        sender().send(http, call)
    assert rec.requests[0].extensions["timeout"]["read"] == 70.0
    assert rec.requests[0].headers["Prefer"] == "wait=60"


def test_token_never_appears_in_errors_or_reprs(sleeps: list[float]) -> None:
    the_sender = sender()
    texts = [repr(the_sender), str(the_sender)]
    cases: list[tuple[Call, list[httpx.Response | Exception]]] = [
        (get_call(PID), [httpx.Response(401, json={"detail": "Invalid token"})]),
        (get_call(PID), [httpx.Response(500) for _ in range(3)]),
        (get_call(PID), [httpx.ConnectError("refused")] * 3),
        (get_call(PID), [httpx.ReadTimeout("slow")] * 3),
        (create(), [httpx.Response(500)]),
        (create(), [httpx.ReadTimeout("slow")]),
    ]
    for call, script in cases:
        rec = Recorder(*script)
        with (
            httpx.Client(transport=httpx.MockTransport(rec)) as http,
            pytest.raises(PredictKitError) as info,
        ):
            the_sender.send(http, call)
        err = info.value
        texts += [str(err), repr(err), *map(str, err.args), repr(vars(err))]
    secrets_absent(*texts)
    assert len(texts) > 10


@pytest.mark.parametrize("status", [401, 403])
def test_without_a_token_no_authorization_is_sent_and_a_refusal_is_missing_token(
    sleeps: list[float], status: int
) -> None:
    for token in (None, ""):
        rec = Recorder(ok(), httpx.Response(status, json={"detail": "Not authenticated"}))
        with httpx.Client(transport=httpx.MockTransport(rec)) as http:
            assert sender(token=token).send(http, get_call(PID)).status_code == 200  # public
            with pytest.raises(MissingTokenError, match="WRIFTAI_ACCESS_TOKEN") as caught:
                sender(token=token).send(http, get_call(PID))
        assert [r.headers.get("authorization") for r in rec.requests] == [None, None]
        assert caught.value.status_code == status
        assert isinstance(caught.value, AuthenticationError)


def test_a_refusal_of_a_call_with_a_token_is_not_missing_token(sleeps: list[float]) -> None:
    for status, kind in ((401, AuthenticationError), (403, PermissionDeniedError)):
        rec = Recorder(httpx.Response(status))
        with (
            httpx.Client(transport=httpx.MockTransport(rec)) as http,
            pytest.raises(kind) as caught,
        ):
            sender().send(http, get_call(PID))
        assert not isinstance(caught.value, MissingTokenError)


async def test_async_get_is_retried_on_503_then_succeeds(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(503), ok())
    async with httpx.AsyncClient(transport=httpx.MockTransport(rec)) as http:
        resp = await sender().asend(http, get_call(PID))
    assert resp.status_code == 200
    assert len(rec.requests) == 2
    assert sleeps == [0.5]


async def test_async_create_not_retried_on_500(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(500))
    async with httpx.AsyncClient(transport=httpx.MockTransport(rec)) as http:
        with pytest.raises(CreateOutcomeUnknownError):
            await sender().asend(http, create())
    assert len(rec.requests) == 1
    assert sleeps == []


async def test_async_create_retried_on_connect_error(sleeps: list[float]) -> None:
    rec = Recorder(httpx.ConnectError("refused"), ok(201))
    async with httpx.AsyncClient(transport=httpx.MockTransport(rec)) as http:
        resp = await sender().asend(http, create())
    assert resp.status_code == 201
    assert len(rec.requests) == 2


async def test_async_missing_token(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(401))
    async with httpx.AsyncClient(transport=httpx.MockTransport(rec)) as http:
        with pytest.raises(MissingTokenError):
            await sender(token=None).asend(http, get_call(PID))
    assert [r.headers.get("authorization") for r in rec.requests] == [None]
