"""streams="requested": only predictions created with "stream": true have an event stream."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from predictkit.testing import ReferenceServer

from .conftest import create, events, make_client


@pytest.fixture(scope="module")
def requested_only() -> Iterator[ReferenceServer]:
    with ReferenceServer(streams="requested") as server:
        yield server


def test_without_stream_true_there_is_no_stream(requested_only: ReferenceServer) -> None:
    with make_client(requested_only) as client:
        created = create(client, {"k": "v"})
        assert created["stream"] is False
        response = client.get(f"/predictions/{created['id']}/stream")
        assert response.status_code == 404
        assert client.get(f"/predictions/{created['id']}").json()["stream"] is False
        assert create(client, {"k": "v"}, stream=False)["stream"] is False


def test_with_stream_true_the_stream_is_there(requested_only: ReferenceServer) -> None:
    with make_client(requested_only) as client:
        created = create(client, {"k": "v"}, stream=True)
        assert created["stream"] is True
        stream = events(client, created["id"])
        assert [e.event for e in stream][-2:] == ["output", "done"]


def test_default_mode_streams_every_prediction(client: httpx.Client) -> None:
    created = create(client, {"k": "v"})
    assert created["stream"] is True
    assert events(client, created["id"])[-1].event == "done"


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="streams must be one of"):
        ReferenceServer(streams="some")
