"""The event stream: ids, output events, terminal events, resume, replay, idle close."""

from __future__ import annotations

import time

import httpx
from predictkit.testing import ReferenceServer

from ._sse import parse
from .conftest import create, events, make_client


def test_streamed_items_arrive_in_order_with_increasing_ids(client: httpx.Client) -> None:
    created = create(client, {"stream": ["a", "b", "c"], "sleep": 0.06})
    stream = events(client, created["id"])
    assert [e.id for e in stream] == ["1", "2", "3", "4", "5"]
    assert [e.event for e in stream] == ["init", "output", "output", "output", "done"]
    assert stream[0].data["id"] == created["id"]
    assert [e.data for e in stream[1:4]] == ["a", "b", "c"]
    assert stream[-1].data == {"status": "succeeded"}
    assert client.get(f"/predictions/{created['id']}").json()["output"] == ["a", "b", "c"]


def test_model_that_does_not_stream_sends_one_output(client: httpx.Client) -> None:
    created = create(client, {"k": "v"})
    stream = events(client, created["id"])
    assert [(e.event, e.data) for e in stream[1:]] == [
        ("output", {"k": "v"}), ("done", {"status": "succeeded"}),
    ]  # fmt: skip


def test_failure_ends_with_an_error_event(client: httpx.Client) -> None:
    created = create(client, {"fail": "bad"})
    stream = events(client, created["id"])
    assert stream[-1].event == "error"
    assert stream[-1].data == {"source": "external", "message": "bad", "detail": None}
    assert sum(e.event in {"done", "error"} for e in stream) == 1


def test_resume_after_id_and_replay_after_the_end(client: httpx.Client) -> None:
    created = create(client, {"stream": [1, 2, 3]}, prefer="wait=5")
    everything = events(client, created["id"])
    resumed = events(client, created["id"], after_id="2")
    assert [e.id for e in resumed] == ["3", "4", "5"]
    assert resumed == everything[2:]
    assert events(client, created["id"], after_id="5", prefer="wait=0.2") == []  # idle close
    assert events(client, created["id"]) == everything


def test_stream_closes_without_terminal_event_after_the_idle_gap(client: httpx.Client) -> None:
    created = create(client, {"sleep": 30})
    started = time.monotonic()
    stream = events(client, created["id"], prefer="wait=0.3")
    # Closed by the 0.3 s idle gap, not by the prediction's end (30 s away): a margin no CPU
    # load can eat, and no speed claim.
    assert 0.3 <= time.monotonic() - started < 20
    assert [e.event for e in stream] == ["init"]
    later = events(client, created["id"], after_id="1", prefer="wait=0.2")
    assert later == []


def test_default_idle_gap_applies_without_prefer() -> None:
    with ReferenceServer(stream_idle_timeout=0.3) as server, make_client(server) as client:
        created = create(client, {"sleep": 30})
        with client.stream("GET", f"/predictions/{created['id']}/stream") as response:
            lines = list(response.iter_lines())
        assert [e.event for e in parse(lines)] == ["init"]


def test_create_with_stream_and_prefer_answers_the_stream(
    server: ReferenceServer, client: httpx.Client
) -> None:
    with client.stream(
        "POST",
        "/predictions",
        json={"model": "demo/echo", "input": {"stream": ["x", "y"]}, "stream": True},
        headers={"prefer": "wait=5"},
    ) as response:
        assert response.status_code == 201
        assert response.headers["content-type"].startswith("text/event-stream")
        location = response.headers["location"]
        stream = parse(response.iter_lines())
    assert [e.event for e in stream] == ["init", "output", "output", "done"]
    assert location == f"{server.url}/predictions/{stream[0].data['id']}"


def test_unavailable_stream_is_404(client: httpx.Client) -> None:
    created = create(client, {"stream_available": False}, prefer="wait=5")
    assert created["stream"] is False
    response = client.get(f"/predictions/{created['id']}/stream")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)
