"""The redirect hops of ``download_output`` and its async twin (one ``_following`` policy):
each hop checked before it is followed, the token only to the API's origin, a bounded count."""

from __future__ import annotations

import asyncio
import io

import httpx
import pytest
from predictkit import APIConnectionError, Client, UnsafeDownloadError
from predictkit.resources._downloads import MAX_DOWNLOAD_REDIRECTS

API = "https://api.test/v1"
SIGNED = "https://storage.test/out.png?X-Signature=s3cr3t"
MODES = ["sync", "async"]


def download(handler: httpx.MockTransport, url: str, mode: str) -> tuple[int, bytes]:
    buffer = io.BytesIO()
    client = Client(
        access_token="tok-123", api_base_url=API, transport=handler, async_transport=handler
    )
    with client:
        if mode == "sync":
            count = client.predictions.download_output(url, buffer)
        else:
            count = asyncio.run(client.predictions.async_download_output(url, buffer))
    return count, buffer.getvalue()


@pytest.mark.parametrize("mode", MODES)
def test_a_redirect_is_followed_with_the_token_on_the_api_origin_only(mode: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"location": SIGNED})
        return httpx.Response(200, content=b"png-bytes")

    assert download(httpx.MockTransport(handler), f"{API}/files/1", mode) == (9, b"png-bytes")
    assert [r.url.host for r in seen] == ["api.test", "storage.test"]
    assert seen[0].headers["authorization"] == "Bearer tok-123"
    assert "authorization" not in seen[1].headers


@pytest.mark.parametrize("mode", MODES)
def test_a_redirect_down_to_plain_http_is_refused_before_it_is_sent(mode: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"location": "http://storage.test/out.png?sig=s3cr3t"})

    with pytest.raises(UnsafeDownloadError) as caught:
        download(httpx.MockTransport(handler), SIGNED, mode)
    assert "use https" in str(caught.value) and "s3cr3t" not in str(caught.value)
    assert len(seen) == 1


@pytest.mark.parametrize("mode", MODES)
def test_redirects_are_followed_a_bounded_number_of_times(mode: str) -> None:
    seen: list[httpx.Request] = []

    def loop(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"location": str(request.url)})

    with pytest.raises(APIConnectionError, match="redirects") as caught:
        download(httpx.MockTransport(loop), SIGNED, mode)
    assert "s3cr3t" not in str(caught.value)
    assert len(seen) == MAX_DOWNLOAD_REDIRECTS + 1
