"""Client configuration: environment, options, lifecycles, event loops, injected HTTP clients."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from predictkit import DEFAULT_TIMEOUT, Client, ClientClosedError, ResponseParseError
from predictkit.testing import Fault, ReferenceServer


def test_token_and_base_url_from_the_environment(
    predictkit_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WRIFTAI_ACCESS_TOKEN", predictkit_server.token)
    monkeypatch.setenv("WRIFTAI_API_BASE_URL", predictkit_server.url + "/")
    with Client() as client:
        assert client.api_base_url == predictkit_server.url
        assert client.predictions.list().items == []


def test_default_timeouts_are_finite() -> None:
    client = Client(access_token="t")
    assert client.timeout == DEFAULT_TIMEOUT
    assert None not in (
        client.timeout.connect,
        client.timeout.read,
        client.timeout.write,
        client.timeout.pool,
    )
    for bad in (None, 0, -1, httpx.Timeout(None)):
        with pytest.raises(ValueError, match="timeout"):
            Client(access_token="t", timeout=bad)  # type: ignore[arg-type]
    for bad_url in ("api.wrift.ai/v1", "ftp://x/v1", ""):
        with pytest.raises(ValueError, match="api_base_url"):
            Client(access_token="t", api_base_url=bad_url or "://")


def test_with_options_copies_without_mutating(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    quick = client.with_options(max_retries=0, timeout=5.0)
    assert (quick.max_retries, quick.timeout.read) == (0, 5.0)
    assert (client.max_retries, client.timeout) == (2, DEFAULT_TIMEOUT)
    created = client.predictions.create({"input": {}}, model="demo/echo", wait=True)
    predictkit_server.inject("get_prediction", Fault.status(503, retry_after=0))
    with pytest.raises(Exception, match="503"):
        quick.predictions.get(created.id)  # no retry on the copy
    assert client.predictions.get(created.id).status == "succeeded"


def test_one_client_across_several_event_loops(client: Client) -> None:
    async def once() -> str:
        return (
            await client.predictions.async_create({"input": {}}, model="demo/echo", wait=True)
        ).status

    assert [asyncio.run(once()) for _ in range(3)] == ["succeeded"] * 3


def test_closed_client_says_so(predictkit_server: ReferenceServer) -> None:
    client = Client(access_token=predictkit_server.token, api_base_url=predictkit_server.url)
    client.close()
    with pytest.raises(ClientClosedError, match="closed"):
        client.predictions.list()


def test_async_context_manager_closes_its_loop_client(predictkit_server: ReferenceServer) -> None:
    async def main() -> int:
        async with Client(
            access_token=predictkit_server.token, api_base_url=predictkit_server.url
        ) as c:
            page = await c.predictions.async_list()
            return len(page.items)

    assert asyncio.run(main()) == 0


def test_injected_transport_is_used_and_parse_errors_keep_the_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "x"}, headers={"x-request-id": "req-1"})

    with (
        Client(
            access_token="tok",
            api_base_url="https://api.example.test/v1",
            transport=httpx.MockTransport(handler),
        ) as client,
        pytest.raises(ResponseParseError) as caught,
    ):
        client.predictions.get("abc")
    assert caught.value.body == b'{"id":"x"}'
    assert caught.value.request_id == "req-1"
    assert str(seen[0].url) == "https://api.example.test/v1/predictions/abc"
    assert seen[0].headers["authorization"] == "Bearer tok"
    assert seen[0].headers["user-agent"].startswith("predictkit/")


def test_injected_http_client_is_not_closed_by_us(predictkit_server: ReferenceServer) -> None:
    with httpx.Client() as http:
        with Client(
            access_token=predictkit_server.token,
            api_base_url=predictkit_server.url,
            http_client=http,
        ) as c:
            c.predictions.list()
        assert not http.is_closed


def test_each_event_loop_closes_its_connections_when_it_shuts_down(
    predictkit_server: ReferenceServer,
) -> None:
    class Recording(httpx.AsyncHTTPTransport):
        closes = 0

        async def aclose(self) -> None:
            Recording.closes += 1
            await super().aclose()

    with Client(
        access_token=predictkit_server.token,
        api_base_url=predictkit_server.url,
        async_transport=Recording(),
    ) as client:
        pid = client.predictions.create({"input": {}}, model="demo/echo", wait=True).id
        for runs in range(1, 4):
            assert asyncio.run(client.predictions.async_get(pid)).status == "succeeded"
            # asyncio.run() shut its loop down, and with it that loop's connections.
            assert Recording.closes == runs
