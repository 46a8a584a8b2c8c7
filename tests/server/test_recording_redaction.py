"""The request log redacts webhook secrets from bodies, and leaves every other body as sent."""

from __future__ import annotations

import json

import httpx
import pytest
from predictkit.testing import RecordedRequest, ReferenceServer, WebhookReceiver
from predictkit.webhooks import verify_webhook

from .conftest import create

SECRET = "whsec-do-not-log-me"


def _only(server: ReferenceServer, operation_id: str) -> RecordedRequest:
    recorded = [r for r in server.requests if r.operation_id == operation_id]
    assert len(recorded) == 1, recorded
    return recorded[0]


def test_webhook_secret_is_redacted_from_the_recorded_body(
    client: httpx.Client, server: ReferenceServer
) -> None:
    with WebhookReceiver() as receiver:
        url = receiver.url
        create(client, {"v": 1}, webhook={"url": url, "secret": SECRET})
        deliveries = receiver.wait_for(4, timeout=10)

    recorded = _only(server, "create_prediction")
    assert b"<redacted>" in recorded.body
    assert SECRET.encode() not in recorded.body
    assert SECRET not in repr(server.requests)  # what a pytest failure would print
    assert json.loads(recorded.body) == {
        "model": "demo/echo",
        "input": {"v": 1},
        "webhook": {"url": url, "secret": "<redacted>"},
    }
    # Only the log is redacted: the server itself saw the real secret and signed with it.
    assert len(deliveries) == 4
    assert [verify_webhook(body, headers, SECRET)["status"] for headers, body in deliveries] == [
        "pending",
        "starting",
        "started",
        "succeeded",
    ]


@pytest.mark.parametrize(
    "body",
    [
        b'{"model": "demo/echo",  "input": {"v": 2}}',
        b'{"model": "demo/echo", "input": {}, "webhook": {"url": "ftp://x"}}',
        b'{"model": "demo/echo", "input": {}, "webhook": {"url": "ftp://x", "secret": ""}}',
        b'{"model": "demo/echo", "input": {}, "webhook": "not an object"}',
        b'["not", "an", "object"]',
        b"not json at all {",
    ],
)
def test_bodies_without_a_secret_are_recorded_byte_identical(
    client: httpx.Client, server: ReferenceServer, body: bytes
) -> None:
    response = client.post(
        "/predictions", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code in {201, 422}, response.text
    assert _only(server, "create_prediction").body == body
