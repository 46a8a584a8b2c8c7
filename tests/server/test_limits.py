"""Rate limits, body size, and the headers every response carries."""

from __future__ import annotations

import time
import uuid

import httpx
from predictkit.testing import RateLimit, ReferenceServer

from .conftest import make_client


def test_every_response_carries_request_id_and_rate_headers(client: httpx.Client) -> None:
    ids = set()
    for path in ("/models", "/predictions/x", "/nope"):
        sent = int(time.time())  # taken before the request: the reset cannot precede it
        response = client.get(path)
        uuid.UUID(response.headers["x-request-id"])
        ids.add(response.headers["x-request-id"])
        assert int(response.headers["x-ratelimit-limit"]) > 0
        assert int(response.headers["x-ratelimit-remaining"]) >= 0
        assert int(response.headers["x-ratelimit-reset"]) >= sent
    assert len(ids) == 3


def test_rate_limit_429_with_headers() -> None:
    with (
        # A window no run can straddle (windows align to the clock), so the counts are exact.
        ReferenceServer(rate_limit=RateLimit(requests=3, per_seconds=10**10)) as server,
        make_client(server) as client,
    ):
        remaining = [int(client.get("/models").headers["x-ratelimit-remaining"]) for _ in range(3)]
        assert remaining == [2, 1, 0]
        limited = client.get("/models")
        assert limited.status_code == 429
        assert isinstance(limited.json()["detail"], str)
        assert limited.headers["x-ratelimit-limit"] == "3"
        assert limited.headers["x-ratelimit-remaining"] == "0"
        # The live API documents only the x-ratelimit-* headers on a 429: no Retry-After.
        assert "retry-after" not in limited.headers
        assert int(limited.headers["x-ratelimit-reset"]) == 10**10  # the window's end
        server.reset()
        assert client.get("/models").status_code == 200


def test_body_over_the_limit_is_413() -> None:
    with ReferenceServer(max_body_bytes=1000) as server, make_client(server) as client:
        big = client.post("/predictions", json={"model": "demo/echo", "input": {"x": "y" * 2000}})
        assert big.status_code == 413
        assert isinstance(big.json()["detail"], str)
        assert server.prediction_count() == 0
        chunked = client.post("/predictions", content=iter([b"{" + b" " * 600, b" " * 600 + b"}"]))
        assert chunked.status_code == 413
        small = client.post("/predictions", json={"model": "demo/echo", "input": {}})
        assert small.status_code == 201


def test_405_lists_the_allowed_methods(client: httpx.Client) -> None:
    response = client.put("/models")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) >= {"GET", "POST"}
