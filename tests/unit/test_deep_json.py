"""JSON nested deeper than Python's stack is a typed error wherever predictkit parses JSON
itself (found by the h24 review): an event-stream ``data:`` line from a hostile server made
``stream()`` and a wait raise a bare RecursionError, and a signed webhook body made
``verify_webhook`` raise one. Response bodies already mapped it to ResponseParseError."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from predictkit import (
    AsyncWaitOptions,
    Client,
    StreamError,
    WaitOptions,
    WebhookVerificationError,
    verify_webhook,
)
from predictkit.streaming import SSEDecoder
from predictkit.webhooks import sign_webhook

DEEP = "[" * 100_000 + "]" * 100_000
PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
SECRET = "whsec_deep-json-test"


def test_a_deep_stream_event_is_a_stream_error() -> None:
    decoder = SSEDecoder()
    decoder.feed("id: 1")
    decoder.feed("event: output")
    decoder.feed("data: " + DEEP)
    with pytest.raises(StreamError, match="not JSON"):
        decoder.feed("")


def test_a_deep_signed_webhook_body_is_a_verification_error() -> None:
    body = DEEP.encode()
    with pytest.raises(WebhookVerificationError, match="not JSON"):
        verify_webhook(body, sign_webhook(body, SECRET), SECRET)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_wait_hearing_a_deep_event_polls_instead(mode: str) -> None:
    """Like any broken stream: the wait falls back to polling and sees the end."""
    gets = iter(["started", "succeeded"])

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stream"):
            body = f"id: 1\nevent: output\ndata: {DEEP}\n\n".encode()
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
        status = next(gets, "succeeded")
        return httpx.Response(
            200,
            json={
                "id": PID,
                "model": {"owner": "acme", "name": "echo", "version_number": 1},
                "created_at": "2024-08-24T14:15:22Z",
                "updated_at": "2024-08-24T14:15:22Z",
                "status": status,
                "setup_time": None,
                "execution_time": None,
                "input": {},
                "output": None,
                "error": None,
                "stream": True,
            },
        )

    client = Client(
        access_token="tok_deep-json",
        api_base_url="https://api.test/v1",
        transport=httpx.MockTransport(handle),
        async_transport=httpx.MockTransport(handle),
    )
    with client:
        if mode == "sync":
            p = client.predictions.wait(PID, WaitOptions(timeout=30, poll_interval=0.01))
        else:
            p = asyncio.run(
                client.predictions.async_wait(PID, AsyncWaitOptions(timeout=30, poll_interval=0.01))
            )
    assert p.status == "succeeded"
