"""Requests a wait spends, counted by the reference server, in both of its stream modes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from predictkit import Client
from predictkit.testing import ReferenceServer

from .conftest import Api


def waits(server: ReferenceServer, prediction_id: str) -> list[str]:
    """The operations of the requests about one prediction, in order."""
    return [
        r.operation_id or "?"
        for r in server.requests
        if prediction_id in r.path and r.operation_id != "create_prediction"
    ]


def test_wait_on_an_id_listens_first_then_fetches_once(
    api: Api, client: Client, predictkit_server: ReferenceServer
) -> None:
    # Long enough that the wait starts before the end; the stream itself says when it ends.
    pid = client.predictions.create({"input": {"sleep": 0.3}}, "demo/echo").id
    result = api("wait", pid)
    assert result.status == "succeeded"
    assert waits(predictkit_server, pid) == ["stream_prediction", "get_prediction"]


def test_a_second_wait_on_an_ended_prediction_costs_two_requests(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    pid = client.predictions.create({"input": {}}, "demo/echo", wait=True).id
    assert client.predictions.wait(pid).status == "succeeded"
    assert waits(predictkit_server, pid) == ["stream_prediction", "get_prediction"]


@pytest.fixture(scope="module")
def requested_only() -> Iterator[ReferenceServer]:
    with ReferenceServer(streams="requested") as server:
        yield server


@pytest.mark.parametrize("stream", [False, True])
def test_both_stream_modes_end_with_the_terminal_prediction(
    requested_only: ReferenceServer, *, stream: bool
) -> None:
    server = requested_only
    with Client(access_token=server.token, api_base_url=server.url) as client:
        pid = client.predictions.create({"input": {"sleep": 0.2}, "stream": stream}, "demo/echo").id
        result = client.predictions.wait(pid)
        assert result.status == "succeeded"
        ops = waits(server, pid)
        if stream:
            assert ops == ["stream_prediction", "get_prediction"]
        else:  # the stream answers 404 once, then the wait polls
            assert ops[0] == "stream_prediction"
            assert set(ops[1:]) == {"get_prediction"}
