"""The shared sending layer (predictkit._api): per-call options, the write-once rule with the
operation's own advice, calls to URLs outside the API, and raw-response recording.

Mock transports only: they record exactly what would go on the wire, which is what these
tests assert on (a reference server cannot show a header it never received)."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
from predictkit import (
    APIConnectionError,
    APIStatusError,
    Client,
    CreateOutcomeUnknownError,
    PermissionDeniedError,
)
from predictkit._api import API, WriteOnce, json_body, no_body, recording

MODEL_ONCE = WriteOnce("the model", "creating it twice", "check client.models.get('a/b')")


TOKEN = "tok-secret"


def _api(handler: httpx.MockTransport, token: str | None = TOKEN) -> API:
    client = Client(
        access_token=token,
        api_base_url="https://api.test/v1",
        transport=handler,
        async_transport=handler,
        max_retries=2,
    )
    return client._api


def _seen(status: int = 200, body: bytes = b'{"ok": true}') -> tuple[list[httpx.Request], API]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body, headers={"x-request-id": "req-1"})

    return seen, _api(httpx.MockTransport(handle))


def test_extra_headers_and_timeout_reach_the_request() -> None:
    seen, api = _seen()
    call = api.call(
        {"method": "get", "url": "/user"}, timeout=3.5, extra_headers={"X-Trace": "abc"}
    )
    assert api.send(call, json_body(dict)) == {"ok": True}
    (request,) = seen
    assert request.url == "https://api.test/v1/user"
    assert request.headers["X-Trace"] == "abc"
    assert request.headers["Authorization"] == "Bearer tok-secret"
    assert request.extensions["timeout"] == httpx.Timeout(3.5).as_dict()


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan"), "3", httpx.Timeout(None)])
def test_bad_per_call_timeout_is_refused_before_sending(bad: object) -> None:
    seen, api = _seen()
    with pytest.raises(ValueError, match="timeout"):
        api.call({"method": "get", "url": "/user"}, timeout=bad)  # type: ignore[arg-type]
    assert seen == []


def test_extra_headers_may_not_replace_the_token() -> None:
    with pytest.raises(ValueError, match="Authorization"):
        API.call({"method": "get", "url": "/user"}, extra_headers={"authorization": "x"})
    with pytest.raises(TypeError, match="extra_headers"):
        API.call({"method": "get", "url": "/user"}, extra_headers={"X": 1})  # type: ignore[dict-item]


def test_write_once_is_not_retried_after_a_5xx_and_carries_the_operations_advice() -> None:
    seen, api = _seen(status=503, body=b'{"detail": "busy"}')
    call = api.call({"method": "post", "url": "/models", "json": {}}, write_once=MODEL_ONCE)
    with pytest.raises(CreateOutcomeUnknownError) as caught:
        api.send(call, no_body)
    assert len(seen) == 1
    message = str(caught.value)
    assert "The model may or may not have been created" in message
    assert "to avoid creating it twice: check client.models.get('a/b') before retrying" in message
    assert "prediction" not in message


def test_write_once_after_a_dropped_connection_uses_the_operations_advice() -> None:
    attempts: list[httpx.Request] = []

    def drop(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ReadError("connection reset", request=request)

    api = _api(httpx.MockTransport(drop))
    call = api.call({"method": "post", "url": "/models", "json": {}}, write_once=MODEL_ONCE)
    with pytest.raises(CreateOutcomeUnknownError, match="so the model may or may not have been"):
        api.send(call, no_body)
    assert len(attempts) == 1


def test_idempotent_calls_are_retried() -> None:
    statuses = iter([503, 200])

    def flaky(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(statuses), json={"n": 1}, headers={"retry-after": "0"})

    api = _api(httpx.MockTransport(flaky))
    assert api.send(api.call({"method": "get", "url": "/hardware"}), json_body(dict)) == {"n": 1}


@pytest.mark.parametrize("url", ["https://uploads.test/part/1?sig=abc", "https://api.test/v1/x"])
def test_url_calls_never_carry_the_token_or_custom_headers(url: str) -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"etag": '"e1"'})

    client = Client(
        access_token="tok-secret",
        api_base_url="https://api.test/v1",
        transport=httpx.MockTransport(handle),
        headers={"X-Custom": "private"},
    )
    call = client._api.url_call("PUT", url, content=b"part", headers={"Content-Type": "a/b"})
    response = client._api.send(call, lambda r: r)
    assert response.headers["etag"] == '"e1"'
    (request,) = seen
    assert "Authorization" not in request.headers
    assert "X-Custom" not in request.headers
    assert request.headers["User-Agent"].startswith("predictkit/")
    assert request.content == b"part"


def test_token_goes_only_to_the_api_origin_when_allowed() -> None:
    seen, api = _seen()
    api.send(api.url_call("GET", "https://api.test/files/o.png", token_on_api_origin=True), no_body)
    api.send(api.url_call("GET", "https://cdn.test/o.png", token_on_api_origin=True), no_body)
    assert seen[0].headers["Authorization"] == "Bearer tok-secret"
    assert "Authorization" not in seen[1].headers


def test_url_calls_need_no_token() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    api = _api(httpx.MockTransport(handle), token=None)
    api.send(api.url_call("GET", "https://cdn.test/o.png"), no_body)
    assert len(seen) == 1


def test_recording_keeps_the_response_sync_and_async() -> None:
    seen, api = _seen()
    with recording() as recorder:
        api.send(api.call({"method": "get", "url": "/user"}), json_body(dict))
    assert recorder.response is not None
    assert recorder.response.headers["x-request-id"] == "req-1"

    async def main() -> str | None:
        with recording() as arecorder:
            await api.asend(api.call({"method": "get", "url": "/user"}), json_body(dict))
        assert arecorder.response is not None
        request_id: str | None = arecorder.response.headers.get("x-request-id")
        return request_id

    assert asyncio.run(main()) == "req-1"
    # outside the block nothing is recorded
    api.send(api.call({"method": "get", "url": "/user"}), json_body(dict))
    assert len(seen) == 3


def test_open_returns_an_unread_stream() -> None:
    seen, api = _seen(body=b"abc" * 1000)
    with contextlib.closing(api.open(api.url_call("GET", "https://cdn.test/big"))) as response:
        assert b"".join(response.iter_bytes()) == b"abc" * 1000
    assert len(seen) == 1


def test_url_calls_get_redirects_back_for_the_caller_to_check() -> None:
    seen: list[httpx.Request] = []
    hop = "https://elsewhere.test/file"

    def redirect(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"location": hop})

    api = _api(httpx.MockTransport(redirect))
    response = api.open(api.url_call("GET", "https://cdn.test/o.png?sig=abc"))
    response.close()
    assert response.status_code == 302
    assert response.headers["location"] == hop
    assert len(seen) == 1
    with pytest.raises(APIStatusError):  # an API call never takes a redirect for success
        api.send(api.call({"method": "get", "url": "/user"}), no_body)


def test_url_call_errors_drop_the_signed_query_and_the_api_hints() -> None:
    _, api = _seen(status=403, body=b'{"detail": "expired"}')
    with pytest.raises(PermissionDeniedError) as caught:
        api.send(api.url_call("GET", "https://cdn.test/o.png?sig=SECRETSIG"), no_body)
    assert caught.value.url == "https://cdn.test/o.png"
    assert "SECRETSIG" not in str(caught.value)
    assert "token" not in str(caught.value)  # no API advice about the access token


def test_url_call_transport_errors_drop_the_signed_query() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.UnsupportedProtocol("nope", request=request)

    api = _api(httpx.MockTransport(fail))
    with pytest.raises(APIConnectionError) as caught:
        api.send(api.url_call("GET", "https://cdn.test/o.png?sig=SECRETSIG"), no_body)
    assert caught.value.url == "https://cdn.test/o.png"
    assert "SECRETSIG" not in str(caught.value)


def test_url_calls_never_follow_redirects_even_on_a_following_http_client() -> None:
    seen: list[httpx.Request] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "cdn.test":
            return httpx.Response(302, headers={"location": "https://evil.test/x"})
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(redirect), follow_redirects=True)
    client = Client(access_token=TOKEN, api_base_url="https://api.test/v1", http_client=http)
    response = client._api.open(client._api.url_call("GET", "https://cdn.test/o.png"))
    response.close()
    assert response.status_code == 302
    assert [r.url.host for r in seen] == ["cdn.test"]
