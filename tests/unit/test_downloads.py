"""Output downloads across redirects, over a mocked transport (another host, a downgrade)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from predictkit import Client, PermissionDeniedError, UnsafeDownloadError

API = "https://api.test/v1"
SIGNED = "https://storage.test/out.png?X-Signature=s3cr3t"


def _client(handler: httpx.MockTransport) -> Client:
    return Client(access_token="tok-123", api_base_url=API, transport=handler)


def test_the_token_goes_to_the_api_origin_only_even_across_redirects() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"location": SIGNED})
        return httpx.Response(200, content=b"png-bytes")

    buffer = io.BytesIO()
    with _client(httpx.MockTransport(handler)) as client:
        assert client.predictions.download_output(f"{API}/files/1", buffer) == 9
    assert buffer.getvalue() == b"png-bytes"
    assert [r.url.host for r in seen] == ["api.test", "storage.test"]
    assert seen[0].headers["authorization"] == "Bearer tok-123"
    assert "authorization" not in seen[1].headers


def test_a_redirect_to_plain_http_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "http://storage.test/out.png?sig=s3cr3t"})

    with (
        _client(httpx.MockTransport(handler)) as client,
        pytest.raises(UnsafeDownloadError) as caught,
    ):
        client.predictions.download_output(SIGNED, io.BytesIO())
    assert "use https" in str(caught.value)
    assert "s3cr3t" not in str(caught.value)


def test_a_refused_download_keeps_the_signature_out_and_gives_no_api_hints() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="<Error>AccessDenied</Error>")

    with (
        _client(httpx.MockTransport(handler)) as client,
        pytest.raises(PermissionDeniedError) as caught,
    ):
        client.predictions.download_output(SIGNED, io.BytesIO())
    err = caught.value
    assert "s3cr3t" not in str(err) and "s3cr3t" not in (err.url or "")
    assert err.url == "https://storage.test/out.png"
    assert "token" not in str(err).lower()


def test_a_refused_hop_closes_its_response() -> None:
    closed: list[bool] = []

    class Body(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b""

        def close(self) -> None:
            closed.append(True)

    def handler(request: httpx.Request) -> httpx.Response:
        location = "http://files.example.com/x?sig=S"
        return httpx.Response(302, headers={"location": location}, stream=Body())

    with _client(httpx.MockTransport(handler)) as client, pytest.raises(UnsafeDownloadError):
        client.predictions.download_output(SIGNED, io.BytesIO())
    assert closed == [True]  # the connection goes back to the pool


def test_a_users_own_redirect_following_client_cannot_skip_the_hop_checks() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "storage.test":
            return httpx.Response(302, headers={"location": "http://internal.example/secret"})
        return httpx.Response(200, content=b"leaked")

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    client = Client(access_token="t", api_base_url=API, http_client=http)
    with http, client, pytest.raises(UnsafeDownloadError):
        client.predictions.download_output(SIGNED, io.BytesIO())


def test_each_hop_is_sent_and_logged_by_the_shared_sender(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"location": SIGNED})
        return httpx.Response(200, content=b"png-bytes", headers={"x-request-id": "r-1"})

    with (
        caplog.at_level("DEBUG", logger="predictkit"),
        _client(httpx.MockTransport(handler)) as client,
    ):
        assert client.predictions.download_output(f"{API}/files/1", io.BytesIO()) == 9
    lines = [r.getMessage() for r in caplog.records if r.name == "predictkit"]
    assert [line.split(" (")[0] for line in lines] == [
        "GET /v1/files/1 -> 302",
        "GET /out.png -> 200",
    ]
    assert not any("s3cr3t" in line or "tok-123" in line for line in caplog.messages)
