"""More of the shared sending layer (predictkit._api): how a Call is built from per-call options,
the API origin check, raw responses and the recorder. Imports go through predictkit._api only,
so the tests hold however the HTTP layer behind it is split into files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from predictkit import Client, InvalidInputError
from predictkit._api import (
    API,
    Call,
    RawResponse,
    Retry,
    Target,
    WriteOnce,
    json_body,
    no_body,
    per_call_timeout,
    recording,
)

ONCE = WriteOnce("the model", "creating it twice", "check client.models.get('a/b')")
GET_USER = {"method": "get", "url": "/user"}


def make_api(handler: httpx.MockTransport, base: str = "https://api.test/v1") -> API:
    client = Client("tok-secret", base, transport=handler, async_transport=handler)
    return client._api


def answering(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"n": len(seen)}, headers={"x-request-id": f"req-{len(seen)}"}
        )

    return httpx.MockTransport(handle)


def test_per_call_timeout_accepts_seconds_and_full_timeouts() -> None:
    assert per_call_timeout(None) is None
    assert per_call_timeout(2) == httpx.Timeout(2.0)
    whole = httpx.Timeout(1.0, connect=2.0)
    assert per_call_timeout(whole) is whole


@pytest.mark.parametrize(
    "bad",
    [
        httpx.Timeout(1.0, connect=None),
        httpx.Timeout(1.0, read=None),
        httpx.Timeout(1.0, write=0),
        httpx.Timeout(1.0, pool=-1.0),
        True,
    ],
)
def test_per_call_timeout_refuses_any_part_that_could_hang(bad: object) -> None:
    with pytest.raises(ValueError, match="timeout must be a positive") as info:
        per_call_timeout(bad)  # type: ignore[arg-type]
    assert repr(bad) in str(info.value)


def test_a_call_keeps_its_options() -> None:
    call = API.call(
        dict(GET_USER), timeout=4.0, prediction_id="p1", deadline=123.0, extra_headers=None
    )
    assert call == Call(
        {"method": "get", "url": "/user"},
        retry=Retry.IDEMPOTENT,
        timeout=httpx.Timeout(4.0),
        prediction_id="p1",
        deadline=123.0,
        write_once=None,
        target=Target.API,
    )


def test_a_write_once_call_is_a_create() -> None:
    call = API.call({"method": "post", "url": "/models", "json": {}}, write_once=ONCE)
    assert call.retry is Retry.CREATE and call.write_once is ONCE and call.timeout is None


def test_extra_headers_join_the_generated_ones_without_changing_the_input() -> None:
    kwargs = {"method": "get", "url": "/user", "headers": {"Accept": "application/json"}}
    call = API.call(kwargs, extra_headers={"X-Trace": "t"})
    assert call.kwargs["headers"] == {"Accept": "application/json", "X-Trace": "t"}
    assert kwargs["headers"] == {"Accept": "application/json"}
    assert "headers" not in API.call(dict(GET_USER), extra_headers={}).kwargs
    assert API.call(dict(GET_USER), extra_headers={"X": "1"}).kwargs["headers"] == {"X": "1"}


@pytest.mark.parametrize("bad", [[("X", "1")], {1: "x"}, {"X": b"1"}])
def test_extra_headers_must_be_a_mapping_of_strings(bad: object) -> None:
    with pytest.raises(TypeError, match="extra_headers must map header names to strings"):
        API.call(dict(GET_USER), extra_headers=bad)  # type: ignore[arg-type]


def test_no_spelling_of_authorization_gets_through() -> None:
    for name in ("AUTHORIZATION", "Authorization"):
        with pytest.raises(ValueError, match="may not set Authorization"):
            API.call(dict(GET_USER), extra_headers={name: "Bearer other"})
        with pytest.raises(ValueError, match="may not set Authorization"):
            API.url_call("GET", "https://cdn.test/x", headers={name: "Bearer other"})


def test_a_url_call_keeps_its_options() -> None:
    call = API.url_call(
        "PUT",
        httpx.URL("https://store.test/p?sig=1"),
        headers={"Content-Type": "image/png"},
        content=b"data",
        timeout=2.0,
        retry=Retry.NEVER,
        deadline=9.0,
    )
    assert call == Call(
        {
            "method": "PUT",
            "url": "https://store.test/p?sig=1",
            "headers": {"Content-Type": "image/png"},
            "content": b"data",
        },
        retry=Retry.NEVER,
        timeout=httpx.Timeout(2.0),
        deadline=9.0,
        target=Target.URL,
    )
    plain = API.url_call("GET", "https://cdn.test/o.png")
    assert plain.kwargs == {"method": "GET", "url": "https://cdn.test/o.png", "headers": {}}
    assert plain.retry is Retry.IDEMPOTENT and plain.target is Target.URL
    assert API.url_call("GET", "https://x", token_on_api_origin=True).target is (
        Target.URL_TOKEN_ON_API_ORIGIN
    )


def test_the_api_origin_is_scheme_host_and_port() -> None:
    api = make_api(answering([]), base="https://api.test:8443/v1")
    assert api.is_api_url("https://api.test:8443/files/o.png")
    assert not api.is_api_url("http://api.test:8443/files/o.png")
    assert not api.is_api_url("https://api.test/files/o.png")
    assert not api.is_api_url("https://cdn.test:8443/files/o.png")
    assert "api.test:8443" in repr(api) and "tok-secret" not in repr(api)


def test_the_default_timeout_is_the_clients() -> None:
    client = Client("tok", "https://api.test/v1", timeout=7.0)
    assert client._api.timeout == httpx.Timeout(7.0)


def test_a_raw_response_carries_the_response_with_the_result() -> None:
    response = httpx.Response(201, headers={"x-request-id": "req-9", "x-other": "o"})
    raw = RawResponse(response, {"id": "p1"})
    assert raw.parse() == {"id": "p1"} and raw.parsed == {"id": "p1"}
    assert raw.status_code == 201 and raw.request_id == "req-9"
    assert raw.headers["x-other"] == "o"
    assert repr(raw) == "<RawResponse 201 request_id='req-9': {'id': 'p1'}>"
    assert RawResponse(httpx.Response(200), None).request_id is None


def test_the_recorder_holds_the_last_response_and_nests() -> None:
    seen: list[httpx.Request] = []
    api = make_api(answering(seen))
    with recording() as outer:
        api.send(api.call(dict(GET_USER)), json_body(dict))
        with recording() as inner:
            assert api.send(api.call(dict(GET_USER)), json_body(dict)) == {"n": 2}
        api.send(api.call(dict(GET_USER)), no_body)
    assert inner.last().headers["x-request-id"] == "req-2"
    assert outer.last().headers["x-request-id"] == "req-3"


def test_a_recorder_that_saw_nothing_says_so() -> None:
    with recording() as recorder, pytest.raises(AssertionError, match="sent nothing"):
        recorder.last()


class Unread(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that stays on the wire until someone iterates it."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"n":1}'

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"n":1}'


def streaming(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, stream=Unread())

    return httpx.MockTransport(handle)


def test_aopen_returns_an_unread_stream() -> None:
    seen: list[httpx.Request] = []
    api = make_api(streaming(seen))

    async def main() -> bytes:
        response = await api.aopen(api.url_call("GET", "https://cdn.test/big"))
        assert not response.is_stream_consumed
        try:
            return b"".join([chunk async for chunk in response.aiter_bytes()])
        finally:
            await response.aclose()

    assert asyncio.run(main()) == b'{"n":1}'
    assert [str(r.url) for r in seen] == ["https://cdn.test/big"]


def test_open_returns_the_response_unread() -> None:
    seen: list[httpx.Request] = []
    api = make_api(streaming(seen))
    response = api.open(api.url_call("GET", "https://cdn.test/big"))
    try:
        assert not response.is_stream_consumed
        assert response.read() == b'{"n":1}'
    finally:
        response.close()


def test_a_refused_timeout_says_what_would_do() -> None:
    with pytest.raises(InvalidInputError) as info:
        per_call_timeout(0)
    assert str(info.value).startswith(
        "timeout must be a positive, finite number of seconds or an httpx.Timeout whose every "
    )
