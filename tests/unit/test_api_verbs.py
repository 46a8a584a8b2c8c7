"""What every verb of the shared sending layer (predictkit._api, over the real Sender) does
besides sending: shows each response to the client's observer, follows an http_client's
redirects on API calls only, keeps an API error's whole URL, carries an upload part's options
to the sender, and explains a 404 under a base URL without /v1 with the right suggestion."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from predictkit import Client, NotFoundError
from predictkit._api import API, json_body

from .test_sender import FakeTime, clock

__all__ = ["clock"]  # the fake-clock fixture (retry sleeps), used by name

BASE = "https://api.test/v1"
GET_USER = {"method": "get", "url": "/user"}


def observed(handler: Callable[[httpx.Request], httpx.Response]) -> tuple[API, list[str]]:
    """An API over a Client's own Sender and pool whose observer records each response's
    x-request-id."""
    mock = httpx.MockTransport(handler)
    client = Client("tok", BASE, transport=mock, async_transport=mock)
    seen: list[str] = []
    api = API(
        client._api._sender,
        client._api._pool,
        observe=lambda headers: seen.append(headers["x-request-id"]),
    )
    return api, seen


async def test_the_observer_sees_every_response_of_every_verb() -> None:
    count = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        return httpx.Response(200, json={}, headers={"x-request-id": f"r{count}"})

    api, seen = observed(answer)
    api.send(api.call(dict(GET_USER)), json_body(dict))
    api.open(api.call(dict(GET_USER))).close()

    await api.asend(api.call(dict(GET_USER)), json_body(dict))
    await (await api.aopen(api.call(dict(GET_USER)))).aclose()
    assert seen == ["r1", "r2", "r3", "r4"]


def test_without_an_observer_responses_still_arrive() -> None:
    mock = httpx.MockTransport(lambda request: httpx.Response(200, json={"n": 1}))
    client = Client("tok", BASE, transport=mock)
    api = API(client._api._sender, client._api._pool)
    assert api.send(api.call(dict(GET_USER)), json_body(dict)) == {"n": 1}


def redirecting(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/v1/old":
        return httpx.Response(307, headers={"location": f"{BASE}/new"})
    return httpx.Response(200, json={"at": request.url.path})


def test_an_api_call_follows_the_redirects_of_an_http_client_that_does() -> None:
    http = httpx.Client(transport=httpx.MockTransport(redirecting), follow_redirects=True)
    with Client("tok", BASE, http_client=http) as client:
        api = client._api
        assert api.send(api.call({"method": "get", "url": "/old"}), json_body(dict)) == {
            "at": "/v1/new"
        }


async def test_an_async_api_call_follows_the_redirects_of_an_http_client_that_does() -> None:
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(redirecting), follow_redirects=True
    ) as http:
        api = Client("tok", BASE, async_http_client=http)._api
        answer = await api.asend(api.call({"method": "get", "url": "/old"}), json_body(dict))
    assert answer == {"at": "/v1/new"}


def test_an_api_error_keeps_its_query() -> None:
    """Only a URL outside the API (a signed URL, whose query is a credential) loses its query
    in an error; an API call's query (a cursor, a page size) is what to quote when reporting."""
    mock = httpx.MockTransport(lambda request: httpx.Response(404, json={"detail": "gone"}))
    api = Client("tok", BASE, transport=mock)._api
    call = api.call({"method": "get", "url": "/predictions", "params": {"cursor": "c1"}})
    with pytest.raises(NotFoundError) as info:
        api.send(call, json_body(dict))
    assert info.value.url == f"{BASE}/predictions?cursor=c1"


def test_an_upload_part_keeps_its_retry_hook_and_its_cap(clock: FakeTime) -> None:
    answers = [httpx.Response(503), httpx.Response(200, content=b"0123456789")]
    mock = httpx.MockTransport(lambda request: answers.pop(0))
    api = Client("tok", BASE, transport=mock)._api
    retried: list[int] = []
    call = api.url_call(
        "PUT",
        "https://store.test/part?sig=s",
        content=b"data",
        on_retry=lambda: retried.append(1),
        response_cap=4,
    )
    assert api.send(call, lambda response: response.content) == b"0123"  # cut, not refused
    assert retried == [1]
    assert len(clock.slept) == 1


@pytest.mark.parametrize(
    ("base", "suggested"),
    [("https://api.test/", "https://api.test/v1"), ("https://api.test/api", None)],
)
def test_a_404_under_a_base_url_without_v1_suggests_the_one_with_it(
    base: str, suggested: str | None
) -> None:
    mock = httpx.MockTransport(lambda r: httpx.Response(404, json={"detail": "No such path."}))
    api = Client("tok", base, transport=mock)._api
    with pytest.raises(NotFoundError) as info:
        api.send(api.call(dict(GET_USER)), json_body(dict))
    message = info.value.message
    assert "No such path." in message  # the server's own answer is kept
    assert repr(suggested or base + "/v1") in message


def test_a_base_url_ending_in_v1_and_a_slash_gets_no_advice() -> None:
    """The client drops the slash: the base is right, and the 404 is the server's alone."""
    base = "https://api.test/v1/"
    mock = httpx.MockTransport(lambda r: httpx.Response(404, json={"detail": "No such path."}))
    api = Client("tok", base, transport=mock)._api
    with pytest.raises(NotFoundError) as info:
        api.send(api.call(dict(GET_USER)), json_body(dict))
    assert "No such path." in info.value.message
    assert repr(base) not in info.value.message  # the advice quotes the base URL it doubts
