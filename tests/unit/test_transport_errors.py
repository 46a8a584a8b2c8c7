"""httpx errors outside TransportError (a body that cannot be decoded, a redirect loop) still
become predictkit errors, over a mocked transport (a server cannot easily produce them)."""

from __future__ import annotations

import io

import httpx
import pytest
from predictkit import APIConnectionError, Client, CreateOutcomeUnknownError, ResponseParseError


def _client(handler: httpx.MockTransport) -> Client:
    return Client(
        access_token="t", api_base_url="https://api.test/v1", transport=handler, max_retries=0
    )


def _bad_gzip(request: httpx.Request) -> httpx.Response:
    headers = {"content-encoding": "gzip", "content-type": "application/json"}
    return httpx.Response(200, headers=headers, content=b"not gzip")


def test_undecodable_body_is_a_parse_error() -> None:
    with (
        _client(httpx.MockTransport(_bad_gzip)) as client,
        pytest.raises(ResponseParseError) as caught,
    ):
        client.predictions.get("abc")
    assert "could not be decoded" in str(caught.value)
    assert caught.value.prediction_id == "abc"


def test_undecodable_create_response_is_outcome_unknown() -> None:
    with (
        _client(httpx.MockTransport(_bad_gzip)) as client,
        pytest.raises(CreateOutcomeUnknownError),
    ):
        client.predictions.create({"input": {}}, model="a/b")


def test_redirect_loop_on_download_is_a_connection_error_without_the_signature() -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": str(request.url)})

    with _client(httpx.MockTransport(loop)) as client, pytest.raises(APIConnectionError) as caught:
        client.predictions.download_output(
            "https://files.test/out.png?signature=s3cr3t", io.BytesIO()
        )
    assert "redirects" in str(caught.value)
    assert "s3cr3t" not in str(caught.value) and "s3cr3t" not in (caught.value.url or "")
