"""Each injected fault, as an httpx client sees it over a real socket."""

from __future__ import annotations

import json

import httpx
import pytest
from predictkit.testing import Fault, ReferenceServer

from ._sse import parse
from .conftest import create


def test_status_fault_with_retry_after(server: ReferenceServer, client: httpx.Client) -> None:
    created = create(client, {})
    server.inject("get_prediction", Fault.status(503, retry_after=1.5, detail="Busy."), times=2)
    for _ in range(2):
        response = client.get(f"/predictions/{created['id']}")
        assert response.status_code == 503
        assert response.json() == {"detail": "Busy."}
        assert response.headers["retry-after"] == "1.5"
        assert response.headers["x-request-id"]
    assert client.get(f"/predictions/{created['id']}").status_code == 200
    assert [r.status_code for r in server.requests[-3:]] == [503, 503, 200]


def test_html_fault_looks_like_a_proxy(server: ReferenceServer, client: httpx.Client) -> None:
    server.inject("list_predictions", Fault.html())
    response = client.get("/predictions")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


def test_drop_before_handling_creates_nothing(
    server: ReferenceServer, client: httpx.Client
) -> None:
    server.inject("create_prediction", Fault.drop())
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post("/predictions", json={"model": "demo/echo", "input": {}})
    assert server.prediction_count() == 0
    assert server.requests[-1].status_code is None
    assert server.requests[-1].operation_id == "create_prediction"


def test_drop_after_handling_creates_the_prediction(
    server: ReferenceServer, client: httpx.Client
) -> None:
    server.inject("create_prediction", Fault.drop(after_handling=True))
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post("/predictions", json={"model": "demo/echo", "input": {"once": True}})
    assert server.prediction_count() == 1
    listed = client.get("/predictions").json()["items"]
    assert len(listed) == 1
    assert server.requests[-2].status_code is None


def test_delay_then_normal_answer(server: ReferenceServer, client: httpx.Client) -> None:
    server.inject("list_models", Fault.delay(5.0))  # far past the 0.1 s read timeout
    with pytest.raises(httpx.ReadTimeout):
        client.get("/models", timeout=0.1)
    response = client.get("/models")
    assert response.status_code == 200


def test_truncated_body(server: ReferenceServer, client: httpx.Client) -> None:
    created = create(client, {"pad": "x" * 100})
    server.inject("get_prediction", Fault.truncated())
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"/predictions/{created['id']}")
    with client.stream("GET", f"/predictions/{created['id']}") as response:
        assert response.headers["content-type"] == "application/json"
        assert json.loads(response.read())["id"] == created["id"]


def test_cut_stream_after_events(server: ReferenceServer, client: httpx.Client) -> None:
    created = create(client, {"stream": [1, 2, 3]}, prefer="wait=5")
    server.inject("stream_prediction", Fault.cut_stream(after_events=2))
    lines: list[str] = []
    with client.stream("GET", f"/predictions/{created['id']}/stream") as response:
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            lines.extend(response.iter_lines())
    complete = parse(lines[: lines.index("", lines.index("id: 2")) + 1])
    assert [e.id for e in complete] == ["1", "2"]
    rest = client.get(f"/predictions/{created['id']}/stream", params={"after_id": "2"})
    assert [e.event for e in parse(rest.text.splitlines())] == ["output", "output", "done"]


def test_cut_stream_on_create_with_stream(server: ReferenceServer, client: httpx.Client) -> None:
    server.inject("create_prediction", Fault.cut_stream(after_events=1))
    with (
        pytest.raises(httpx.RemoteProtocolError),
        client.stream(
            "POST",
            "/predictions",
            json={"model": "demo/echo", "input": {"sleep": 30}, "stream": True},
            headers={"prefer": "wait=5"},
        ) as response,
    ):
        response.read()
    assert server.prediction_count() == 1


def test_faults_are_per_operation_and_clearable(
    server: ReferenceServer, client: httpx.Client
) -> None:
    server.inject("list_predictions", Fault.status(500))
    assert client.get("/models").status_code == 200
    server.clear_faults()
    assert client.get("/predictions").status_code == 200
    with pytest.raises(ValueError, match="Unknown operation id"):
        server.inject("no_such_operation", Fault.status(500))
    with pytest.raises(ValueError, match="status code"):
        Fault.status(99)


def test_request_log_redacts_the_token(server: ReferenceServer, client: httpx.Client) -> None:
    client.post("/predictions?x=1&x=2", json={"model": "demo/echo", "input": {}})
    recorded = server.requests[-1]
    assert recorded.method == "POST"
    assert recorded.path == "/v1/predictions"
    assert recorded.operation_id == "create_prediction"
    assert recorded.query == {"x": ["1", "2"]}
    assert recorded.headers["authorization"] == "<redacted>"
    assert json.loads(recorded.body) == {"model": "demo/echo", "input": {}}
    assert recorded.status_code == 201
    assert server.token not in repr(server)
