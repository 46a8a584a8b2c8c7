"""Webhook deliveries: every status, in order, signed, retried after failures."""

from __future__ import annotations

import json

import httpx
import pytest
from predictkit.testing import ReferenceServer, WebhookReceiver
from predictkit.webhooks import verify_webhook

from .conftest import create, finished, make_client


def test_deliveries_are_signed_and_match_get(client: httpx.Client) -> None:
    secret = "whsec-test"
    with WebhookReceiver() as receiver:
        created = create(client, {"v": 1}, webhook={"url": receiver.url, "secret": secret})
        deliveries = receiver.wait_for(4, timeout=10)
    final = finished(client, created["id"])
    bodies = [verify_webhook(body, headers, secret) for headers, body in deliveries]
    assert [b["status"] for b in bodies] == ["pending", "starting", "started", "succeeded"]
    assert bodies[-1] == final
    assert all(h["content-type"] == "application/json" for h, _ in deliveries)
    with pytest.raises(ValueError, match="No signature matches"):
        verify_webhook(deliveries[0][1], deliveries[0][0], "other-secret")


def test_no_signature_without_a_secret(client: httpx.Client) -> None:
    with WebhookReceiver() as receiver:
        create(client, {}, webhook={"url": receiver.url})
        deliveries = receiver.wait_for(4, timeout=10)
    assert all("wriftai-webhook-signature" not in headers for headers, _ in deliveries)


def test_failed_deliveries_are_retried_in_order() -> None:
    with (
        ReferenceServer(webhook_retries=3, webhook_backoff=0.01) as server,
        make_client(server) as client,
        WebhookReceiver(fail_first=2) as receiver,
    ):
        create(client, {}, webhook={"url": receiver.url, "secret": "s"})
        deliveries = receiver.wait_for(4, timeout=10)
    statuses = [json.loads(body)["status"] for _, body in deliveries]
    assert statuses == ["pending", "starting", "started", "succeeded"]


def test_unreachable_receiver_does_not_block_requests() -> None:
    with WebhookReceiver() as receiver:
        dead_url = receiver.url  # nothing listens here once the receiver has stopped
    with (
        ReferenceServer(webhook_retries=1, webhook_backoff=0.01) as server,
        make_client(server) as client,
    ):
        body = create(client, {}, prefer="wait=5", webhook={"url": dead_url})
        assert body["status"] == "succeeded"


def test_bad_webhook_url_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/predictions", json={"model": "demo/echo", "input": {}, "webhook": {"url": "ftp://x"}}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "webhook", "url"]
