"""Webhook delivery: every status change of a prediction, in order, signed, with retries.

Each prediction with a webhook gets one sender task that posts its updates one after another, so
a receiver sees them in status order even while an earlier one is being retried. A delivery that
gets a non-2xx answer or a connection error is retried after ``backoff * 2**n`` seconds, at most
``retries`` times; then it is given up and the next update is sent. Senders run as background
tasks and never hold up request handling.

Deliveries go only to loopback addresses (``localhost``, ``127.0.0.0/8``, ``::1``) unless the
server was started with ``allow_remote_webhooks``: a test server must not post to the internet
(``https://example.com/hook`` in an example) or to other hosts on the network. A prediction
with any other webhook URL is created as usual; its updates are simply not sent.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from predictkit.testing._lifecycle import Prediction, Webhook
from predictkit.webhooks import SIGNATURE_HEADER, sign_webhook

Spawn = Callable[[Coroutine[Any, Any, None]], object]


def is_url(url: str) -> bool:
    """Whether ``url`` is a URL a delivery could be sent to: httpx parses it, with a host and a
    port a socket takes (httpx alone accepts port 99999, and connecting then raises)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return bool(parsed.host) and (parsed.port is None or 0 < parsed.port < 65536)


def is_loopback(url: str) -> bool:
    """Whether ``url`` names a loopback host, judged from the URL alone (no DNS lookup)."""
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookDispatcher:
    """Queues updates per prediction and runs one ordered sender per prediction."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        spawn: Spawn,
        *,
        retries: int,
        backoff: float,
        allow_remote: bool = False,
    ) -> None:
        self._client = client
        self._allow_remote = allow_remote
        self._spawn = spawn
        self._retries = retries
        self._backoff = backoff
        self._queues: dict[str, asyncio.Queue[tuple[bytes, bool]]] = {}

    def enqueue(self, prediction: Prediction) -> None:
        """Snapshot the prediction now and queue it for delivery."""
        if prediction.webhook is None:
            return
        if not (self._allow_remote or is_loopback(prediction.webhook.url)):
            return
        body = json.dumps(prediction.details(), separators=(",", ":")).encode()
        queue = self._queues.get(prediction.id)
        if queue is None:
            queue = self._queues[prediction.id] = asyncio.Queue()
            self._spawn(self._send_all(prediction.id, prediction.webhook, queue))
        queue.put_nowait((body, prediction.terminal))

    async def _send_all(
        self, prediction_id: str, webhook: Webhook, queue: asyncio.Queue[tuple[bytes, bool]]
    ) -> None:
        try:
            last = False
            while not last:
                body, last = await queue.get()
                await self._deliver(webhook, body)
        finally:
            self._queues.pop(prediction_id, None)

    async def _deliver(self, webhook: Webhook, body: bytes) -> None:
        for attempt in range(self._retries + 1):
            headers = {"content-type": "application/json", "user-agent": "wriftai-webhooks"}
            if webhook.secret:
                headers[SIGNATURE_HEADER] = sign_webhook(body, webhook.secret)
            try:
                response = await self._client.post(webhook.url, content=body, headers=headers)
                if response.is_success:
                    return
            except httpx.HTTPError:
                pass
            if attempt < self._retries:
                await asyncio.sleep(self._backoff * 2**attempt)
