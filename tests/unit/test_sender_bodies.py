"""The real Sender reading bodies: an error body is kept up to its own cap and never raised as
too large, a success body may be as large as the client allows, a body arriving past the
response deadline is a timeout, sync and async (fake clock and helpers of test_sender)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import attrs
import httpx
import pytest
from predictkit import APITimeoutError, Client, NotFoundError, ResponseTooLargeError
from predictkit._body import MAX_ERROR_BODY

from .test_sender import BASE, GOOD, START, FakeTime, Server, asend, clock, get, send, sender

__all__ = ["clock"]  # the fake-clock fixture, used by name

both = pytest.mark.parametrize("run", ["sync", "async"])


class Slow(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body whose every chunk takes ``each`` seconds of the fake clock."""

    def __init__(self, clock: FakeTime, chunks: list[bytes], each: float) -> None:
        self.clock, self.chunks, self.each = clock, chunks, each
        self.served = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.clock.now += self.each
            self.served += 1
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.clock.now += self.each
            self.served += 1
            yield chunk


async def deliver(server: Server, run: str, **kw: object) -> httpx.Response:
    if run == "sync":
        return send(server, get(), **kw)  # type: ignore[arg-type]
    return await asend(server, get(), **kw)  # type: ignore[arg-type]


@both
async def test_a_huge_error_body_is_cut_to_its_cap_not_refused(clock: FakeTime, run: str) -> None:
    body = b"e" * (MAX_ERROR_BODY + 4096)
    server = Server(clock, httpx.Response(404, content=body))
    with pytest.raises(NotFoundError) as info:
        await deliver(server, run)
    assert info.value.body == body[:MAX_ERROR_BODY]


@both
async def test_a_streamed_huge_error_body_is_cut_to_its_cap(clock: FakeTime, run: str) -> None:
    chunks = [b"e" * (600 * 1024)] * 3
    stream = Slow(clock, chunks, each=0.0)
    server = Server(clock, httpx.Response(404, stream=stream))
    with pytest.raises(NotFoundError) as info:
        await deliver(server, run)
    assert info.value.body == b"e" * MAX_ERROR_BODY
    assert stream.served == 2  # the rest is never read


@both
async def test_a_success_body_may_exceed_the_error_cap(clock: FakeTime, run: str) -> None:
    body = b"x" * (MAX_ERROR_BODY + 4096)
    stream = Slow(clock, [body[:1000], body[1000:]], each=0.0)
    server = Server(clock, httpx.Response(200, stream=stream))
    response = await deliver(server, run)
    assert response.content == body


@both
async def test_a_success_body_over_the_clients_limit_is_refused(clock: FakeTime, run: str) -> None:
    capped = attrs.evolve(sender(max_retries=0), max_response_bytes=100)
    stream = Slow(clock, [b"x" * 60, b"x" * 60], each=0.0)
    transport = httpx.MockTransport(Server(clock, httpx.Response(200, stream=stream)))
    with pytest.raises(ResponseTooLargeError) as info:
        if run == "sync":
            with httpx.Client(transport=transport) as http:
                capped.send(http, get())
        else:
            async with httpx.AsyncClient(transport=transport) as ahttp:
                await capped.asend(ahttp, get())
    assert info.value.limit == 100


@both
async def test_a_body_arriving_past_the_response_deadline_is_a_timeout(
    clock: FakeTime, run: str
) -> None:
    # The attempt's timeout is 5 s (test_sender's sender): its response must end by START + 5.
    stream = Slow(clock, [b'{"id": ', b'"x"}'], each=6.0)
    server = Server(clock, httpx.Response(200, stream=stream))
    with pytest.raises(APITimeoutError):
        await deliver(server, run, max_retries=0)
    assert stream.served == 1
    assert clock.now == START + 6.0


@both
async def test_an_error_body_arriving_past_the_deadline_is_a_timeout_too(
    clock: FakeTime, run: str
) -> None:
    stream = Slow(clock, [b'{"detail": ', b'"gone"}'], each=6.0)
    server = Server(clock, httpx.Response(404, stream=stream))
    with pytest.raises(APITimeoutError):
        await deliver(server, run, max_retries=0)
    assert stream.served == 1


async def test_async_url_calls_never_follow_redirects_even_on_a_following_client() -> None:
    seen: list[httpx.Request] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "cdn.test":
            return httpx.Response(302, headers={"location": "https://evil.test/x"})
        return httpx.Response(200, json=GOOD)

    transport = httpx.MockTransport(redirect)
    ahttp = httpx.AsyncClient(transport=transport, follow_redirects=True)
    client = Client(access_token="tok", api_base_url=BASE, async_http_client=ahttp)
    response = await client._api.aopen(client._api.url_call("GET", "https://cdn.test/o.png"))
    await response.aclose()
    await ahttp.aclose()
    assert response.status_code == 302
    assert [r.url.host for r in seen] == ["cdn.test"]
