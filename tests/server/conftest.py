"""Shared fixtures: the plugin's session server, an authenticated client, and helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from predictkit.testing import ReferenceServer

from ._sse import Event, parse


@pytest.fixture
def server(predictkit_server: ReferenceServer) -> ReferenceServer:
    """The pytest plugin's shared server, reset for this test."""
    return predictkit_server


def make_client(server: ReferenceServer, **kwargs: Any) -> httpx.Client:
    headers = {"authorization": f"Bearer {server.token}"}
    return httpx.Client(base_url=server.url, headers=headers, timeout=10.0, **kwargs)


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[httpx.Client]:
    with make_client(server) as c:
        yield c


def create(
    client: httpx.Client,
    payload: dict[str, Any],
    *,
    model: str = "demo/echo",
    prefer: str | None = None,
    **body: Any,
) -> dict[str, Any]:
    """Create a prediction; returns the response body (asserts 201)."""
    headers = {"prefer": prefer} if prefer else {}
    response = client.post(
        "/predictions", json={"model": model, "input": payload, **body}, headers=headers
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def events(
    client: httpx.Client,
    prediction_id: str,
    *,
    after_id: str | None = None,
    prefer: str = "wait=10",
) -> list[Event]:
    """All events the stream endpoint sends until it closes (bounded by the idle gap)."""
    params = {"after_id": after_id} if after_id is not None else {}
    with client.stream(
        "GET", f"/predictions/{prediction_id}/stream", params=params, headers={"prefer": prefer}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return parse(response.iter_lines())


def finished(client: httpx.Client, prediction_id: str) -> dict[str, Any]:
    """The prediction once it has ended: follow its stream to the terminal event, then GET."""
    stream = events(client, prediction_id)
    assert stream[-1].event in {"done", "error"}, stream
    body: dict[str, Any] = client.get(f"/predictions/{prediction_id}").json()
    return body
