"""Prediction behaviour: lifecycle, Prefer wait, Validate-Input, listing, cancel, eviction."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest
from predictkit.testing import ReferenceServer, WebhookReceiver

from .conftest import create, events, finished, make_client


def test_status_moves_forward_in_order(client: httpx.Client) -> None:
    with WebhookReceiver() as receiver:
        created = create(client, {"sleep": 0.05}, webhook={"url": receiver.url})
        deliveries = receiver.wait_for(4, timeout=10)
    statuses = [json.loads(body)["status"] for _, body in deliveries]
    assert statuses == ["pending", "starting", "started", "succeeded"]
    final = finished(client, created["id"])
    assert final["output"] == {"sleep": 0.05}
    assert final["error"] is None
    assert final["metrics"]["predict_time"] >= 0.05
    assert float(final["execution_time"]) >= 0.05
    assert final["setup_time"] is not None
    assert final["stream"] is True
    assert uuid.UUID(final["id"]).version == 4


def test_created_pending_snapshot_has_every_field(client: httpx.Client) -> None:
    created = create(client, {"x": [1, 2]})
    assert created["status"] == "pending"
    assert created["input"] == {"x": [1, 2]}
    assert (created["output"], created["error"], created["metrics"]) == (None, None, None)
    assert (created["setup_time"], created["execution_time"]) == (None, None)
    assert created["created_at"].endswith("Z")


def test_version_number_is_reported_truthfully(client: httpx.Client) -> None:
    assert create(client, {}, model="demo/echo")["model"]["version_number"] == 2
    assert create(client, {}, model="demo/echo:1")["model"]["version_number"] == 1
    assert create(client, {}, model="demo/echo:2")["model"] == {
        "owner": "demo", "name": "echo", "version_number": 2,
    }  # fmt: skip


def test_prefer_wait_returns_the_finished_prediction(client: httpx.Client) -> None:
    for prefer in (
        "wait",
        "wait=5",
        "wait=2.5",
        "respond-async, wait=10",
        "handling=lenient, wait=3; x=1",
    ):
        body = create(client, {"sleep": 0.01}, prefer=prefer)
        assert body["status"] == "succeeded", prefer
        assert body["output"] == {"sleep": 0.01}


def test_failure_carries_the_task_error(client: httpx.Client) -> None:
    body = create(client, {"fail": "boom"}, prefer="wait=5")
    assert body["status"] == "failed"
    assert body["error"] == {"source": "external", "message": "boom", "detail": None}
    assert body["output"] is None
    internal = create(client, {"fail": "oops", "fail_source": "internal"}, prefer="wait=5")
    assert internal["error"]["source"] == "internal"


def test_prefer_wait_stops_at_the_server_ceiling() -> None:
    with ReferenceServer(wait_ceiling=0.3) as server, make_client(server) as client:
        started = time.monotonic()
        body = create(client, {"sleep": 30}, prefer="wait=20")
        elapsed = time.monotonic() - started
        assert body["status"] == "started"
        assert 0.3 <= elapsed < 15  # held to the 0.3 s ceiling, not the 20 s asked for
        bare = create(client, {"sleep": 30}, prefer="wait")
        assert bare["status"] == "started"


def test_validate_input_rejects_before_creating(
    server: ReferenceServer, client: httpx.Client
) -> None:
    response = client.post(
        "/predictions",
        json={"model": "demo/validated", "input": {"prompt": 3}},
        headers={"validate-input": "true"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "input", "prompt"], "msg": "Input should be a valid string",
         "type": "string_type"},
    ]  # fmt: skip
    missing = client.post(
        "/models/demo/validated/predictions", json={"input": {}}, headers={"validate-input": "true"}
    )
    assert missing.json()["detail"] == [
        {"loc": ["body", "input", "prompt"], "msg": "Field required", "type": "missing"}
    ]
    assert server.prediction_count() == 0
    ok = client.post(
        "/predictions",
        json={"model": "demo/validated", "input": {"prompt": "hi"}},
        headers={"validate-input": "true", "prefer": "wait=5"},
    )
    assert (ok.status_code, ok.json()["status"]) == (201, "succeeded")


def test_invalid_input_without_validate_input_fails_the_task(client: httpx.Client) -> None:
    body = create(client, {"prompt": 3}, model="demo/validated", prefer="wait=5")
    assert body["status"] == "failed"
    assert body["error"]["source"] == "external"
    assert "prompt" in body["error"]["message"]


def test_list_pages_newest_first_with_stable_cursors(client: httpx.Client) -> None:
    ids = [create(client, {"n": n})["id"] for n in range(12)]
    first = client.get("/predictions", params={"page_size": 5}).json()
    assert [p["id"] for p in first["items"]] == ids[::-1][:5]
    assert first["previous_cursor"] is None
    assert set(first["items"][0]) == {
        "id", "model", "created_at", "status", "updated_at", "setup_time", "execution_time",
    }  # fmt: skip

    # New predictions arrive while paging: the walk neither repeats nor skips.
    seen = [p["id"] for p in first["items"]]
    cursor = first["next_cursor"]
    pages = 0
    while cursor is not None and pages < 10:
        create(client, {"late": pages})
        page = client.get("/predictions", params={"page_size": 5, "cursor": cursor}).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        pages += 1
    assert seen == ids[::-1]

    second = client.get("/predictions", params={"page_size": 5, "cursor": first["next_cursor"]})
    back = client.get(
        "/predictions", params={"page_size": 5, "cursor": second.json()["previous_cursor"]}
    ).json()
    assert [p["id"] for p in back["items"]] == ids[::-1][:5]


def test_list_filters_by_status_and_checks_bounds(client: httpx.Client) -> None:
    failed = create(client, {"fail": "x"}, prefer="wait=5")
    create(client, {}, prefer="wait=5")
    page = client.get("/predictions", params={"statuses": ["failed", "cancelled"]}).json()
    assert [p["id"] for p in page["items"]] == [failed["id"]]
    for size, kind in (
        ("4", "greater_than_equal"),
        ("51", "less_than_equal"),
        ("x", "int_parsing"),
    ):
        response = client.get("/predictions", params={"page_size": size})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "page_size"]
        assert response.json()["detail"][0]["type"] == kind
    bad = client.get("/predictions", params={"statuses": ["done"]})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "statuses", 0]
    assert client.get("/predictions", params={"cursor": "garbage!"}).status_code == 422


def test_cancel_is_asynchronous_idempotent_then_final(client: httpx.Client) -> None:
    slow = create(client, {"sleep": 30})
    first = client.post(f"/predictions/{slow['id']}/cancel")
    again = client.post(f"/predictions/{slow['id']}/cancel")
    assert (first.status_code, first.json(), again.status_code) == (200, None, 200)
    final = finished(client, slow["id"])
    assert final["status"] == "cancelled"
    assert final["output"] is None
    stream = events(client, slow["id"])
    assert (stream[-1].event, stream[-1].data) == ("done", {"status": "cancelled"})
    # A repeat after the cancel took effect is still a success: no answer depends on whether a
    # repeat beat the cancel latency.
    late = client.post(f"/predictions/{slow['id']}/cancel")
    assert (late.status_code, late.json()) == (200, None)

    done = create(client, {}, prefer="wait=5")
    conflict = client.post(f"/predictions/{done['id']}/cancel")
    assert conflict.status_code == 409
    assert "already finished" in conflict.json()["detail"]
    unknown = client.post(f"/predictions/{uuid.uuid4()}/cancel")
    assert unknown.status_code == 404


def test_output_file_is_served_outside_the_api(
    server: ReferenceServer, client: httpx.Client
) -> None:
    body = create(client, {"output_file": "hello file"}, prefer="wait=5")
    url = body["output"]
    assert url.startswith(server.origin + "/files/")
    with httpx.Client(timeout=5) as anonymous:
        download = anonymous.get(url)
    assert download.status_code == 200
    assert download.text == "hello file"
    assert download.headers["content-type"].startswith("text/plain")


def test_eviction_drops_oldest_finished_then_503() -> None:
    with ReferenceServer(max_predictions=3) as server, make_client(server) as client:
        done = [create(client, {}, prefer="wait=5")["id"] for _ in range(3)]
        newest = create(client, {"sleep": 30})
        assert server.prediction_count() == 3
        assert client.get(f"/predictions/{done[0]}").status_code == 404
        assert client.get(f"/predictions/{done[2]}").status_code == 200
        create(client, {"sleep": 30})
        create(client, {"sleep": 30})
        refused = client.post("/predictions", json={"model": "demo/echo", "input": {}})
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert client.get(f"/predictions/{newest['id']}").status_code == 200
        assert server.prediction_count() == 3


@pytest.mark.parametrize("model", ["demo/echo", "demo/echo:2"])
def test_stream_false_and_no_prefer_answers_json(client: httpx.Client, model: str) -> None:
    response = client.post("/predictions", json={"model": model, "input": {}, "stream": True})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.json()["stream"] is True


def test_reset_keeps_seeded_data_only(server: ReferenceServer, client: httpx.Client) -> None:
    create(client, {"sleep": 30})
    client.post("/models", json={"name": "temp"})
    server.reset()
    assert server.prediction_count() == 0
    assert server.requests == []
    assert client.get("/models/demo/temp").status_code == 404
    assert client.get("/models/demo/echo").status_code == 200
