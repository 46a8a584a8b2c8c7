"""Event streams end to end: typed events, resume after drops, closing, output iterators."""

from __future__ import annotations

import asyncio

import pytest
from predictkit import (
    Client,
    PredictionFailedError,
    PredictionStreamEvent,
    StreamError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit.streaming import MAX_RECONNECTS, QUIET_BEFORE_CHECK
from predictkit.testing import Fault, ReferenceServer

from .conftest import Api, paths


def _ids(events: list[PredictionStreamEvent]) -> list[int]:
    return [int(e.id) for e in events]


def test_stream_yields_typed_events_and_ends_on_done(api: Api) -> None:
    created = api(
        "create", {"input": {"stream": ["Hel", "lo", "!"], "sleep": 0.15}}, model="demo/echo"
    )
    events = api.collect("stream", created.id)
    assert all(isinstance(e, PredictionStreamEvent) for e in events)
    assert [e.event for e in events] == ["init", "output", "output", "output", "done"]
    assert [e.data for e in events if e.event == "output"] == ["Hel", "lo", "!"]
    assert events[0].data["id"] == created.id
    assert _ids(events) == list(range(_ids(events)[0], _ids(events)[0] + len(events)))


def test_stream_resumes_after_a_cut_without_losing_or_repeating(
    api: Api, predictkit_server: ReferenceServer
) -> None:
    items = [f"chunk-{i}" for i in range(6)]
    created = api("create", {"input": {"stream": items, "sleep": 0.3}}, model="demo/echo")
    predictkit_server.inject("stream_prediction", Fault.cut_stream(after_events=2), times=2)
    events = api.collect("stream", created.id)
    assert [e.data for e in events if e.event == "output"] == items
    assert _ids(events) == list(range(_ids(events)[0], _ids(events)[0] + len(events)))
    resumes = [r for r in predictkit_server.requests if r.operation_id == "stream_prediction"]
    assert len(resumes) == 3
    assert "after_id" not in resumes[0].query
    assert resumes[1].query["after_id"] == [events[1].id]


def test_stream_can_start_after_a_saved_event_id(api: Api) -> None:
    created = api("create", {"input": {"stream": ["a", "b", "c"]}}, model="demo/echo", wait=True)
    everything = api.collect("stream", created.id)
    rest = api.collect("stream", created.id, after_id=everything[1].id)
    assert rest == everything[2:]


def test_failed_prediction_stream_ends_with_error_event(api: Api) -> None:
    created = api("create", {"input": {"fail": "bad input"}}, model="demo/echo")
    events = api.collect("stream", created.id)
    assert events[-1].event == "error"
    assert events[-1].data["message"] == "bad input"


def test_stream_gives_up_after_repeated_drops(
    client: Client, predictkit_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    delays: list[float] = []
    monkeypatch.setattr("predictkit.streaming.time.sleep", delays.append)
    created = client.predictions.create({"input": {"sleep": 30}}, model="demo/echo")
    predictkit_server.inject("stream_prediction", Fault.cut_stream(after_events=0), times=50)
    with pytest.raises(StreamError) as caught, client.predictions.stream(created.id) as events:
        list(events)
    assert caught.value.prediction_id == created.id
    assert len(paths(predictkit_server, "stream_prediction")) == 6  # 1 + MAX_RECONNECTS
    assert delays == sorted(delays) and delays[-1] <= 4.0  # backoff between reconnects
    predictkit_server.clear_faults()
    client.predictions.cancel(created.id)


def test_closing_a_stream_stops_it(client: Client) -> None:
    created = client.predictions.create(
        {"input": {"stream": ["a", "b", "c"], "sleep": 0.3}}, model="demo/echo"
    )
    stream = client.predictions.stream(created.id)
    first = next(stream)
    assert first.event == "init"
    stream.close()
    with pytest.raises(StopIteration):
        next(stream)
    assert stream.last_event_id == first.id


def test_async_stream_closes_with_the_context(client: Client) -> None:
    async def main() -> list[str]:
        created = await client.predictions.async_create(
            {"input": {"stream": ["x", "y"]}}, model="demo/echo"
        )
        names: list[str] = []
        async with client.predictions.async_stream(created.id) as events:
            async for event in events:
                names.append(event.event)
                if event.event == "output":
                    break
        return names

    assert asyncio.run(main()) == ["init", "output"]


def test_output_iterator_yields_chunks_then_loads_the_final_state(client: Client) -> None:
    p = client.predictions.create({"input": {"stream": ["one", "two"]}}, model="demo/echo")
    assert list(p.output_iterator()) == ["one", "two"]
    assert p.status == "succeeded" and p.output == ["one", "two"]


def test_output_iterator_without_a_stream_yields_the_final_output(client: Client) -> None:
    p = client.predictions.create({"input": {"stream_available": False, "x": 1}}, model="demo/echo")
    assert p.stream is False
    assert list(p.output_iterator()) == [{"stream_available": False, "x": 1}]


def test_output_iterator_raises_when_the_prediction_fails(client: Client) -> None:
    p = client.predictions.create({"input": {"fail": "nope"}}, model="demo/echo")
    with pytest.raises(PredictionFailedError, match="nope") as caught:
        list(p.output_iterator())
    assert caught.value.prediction_id == p.id


def test_async_output_iterator(client: Client) -> None:
    async def main() -> list[object]:
        p = await client.predictions.async_create(
            {"input": {"stream": [1, 2, 3]}}, model="demo/echo"
        )
        return [chunk async for chunk in p.async_output_iterator()]

    assert asyncio.run(main()) == [1, 2, 3]


def test_wait_without_a_stream_polls(api: Api, predictkit_server: ReferenceServer) -> None:
    created = api("create", {"input": {"stream_available": False, "sleep": 0.2}}, model="demo/echo")
    assert api("wait", created.id).status == "succeeded"
    # A wait on an id tries the stream first: one 404, then it polls.
    assert len(paths(predictkit_server, "stream_prediction")) == 1
    # How many polls a 0.2 s run takes depends on the machine's load (a slow first poll already
    # sees the end); only that it polled, rather than a tight loop, is certain.
    assert 1 <= len(paths(predictkit_server, "get_prediction")) <= 10


def test_output_iterator_falls_back_when_the_stream_is_gone(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    p = client.predictions.create({"input": {"stream": ["a", "b"]}}, model="demo/echo")
    assert p.stream is True
    predictkit_server.inject("stream_prediction", Fault.status(404, detail="Stream expired."))
    assert list(p.output_iterator()) == ["a", "b"]  # the final output's items, once each
    assert p.status == "succeeded"


def test_a_stream_outlives_quiet_periods_longer_than_the_servers_idle_gap() -> None:
    # This server closes idle streams after 0.2 s; the prediction says nothing for 4 s: about
    # 20 idle closes in a row, far more than a stream tolerates failures (MAX_RECONNECTS), even
    # if CPU load made each round three times slower.
    with (
        ReferenceServer(wait_ceiling=0.2) as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        created = client.predictions.create(
            {"input": {"sleep": 4.0, "stream": ["late"]}}, model="demo/echo"
        )
        events = list(client.predictions.stream(created.id))
        connections = len(paths(server, "stream_prediction"))
    assert [e.event for e in events] == ["init", "output", "done"]
    assert events[1].data == "late"
    # Reconnected after each idle close; each connection lasts at least the 0.2 s idle gap, so
    # even a slow run stays far below the bound a tight reconnect loop would break.
    assert MAX_RECONNECTS < connections <= 60


def test_a_stream_resumed_after_its_end_stops_instead_of_reconnecting_forever() -> None:
    with (
        ReferenceServer(wait_ceiling=0.6) as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        p = client.predictions.create({"input": {}}, model="demo/echo", wait=True)
        done = list(client.predictions.stream(p.id))[-1]
        assert done.event == "done"
        # Nothing comes after the terminal event: after a few quiet connections the stream
        # sees the prediction has ended and stops.
        assert list(client.predictions.stream(p.id, after_id=done.id)) == []
        assert len(paths(server, "stream_prediction")) <= 1 + QUIET_BEFORE_CHECK


def test_a_wait_on_a_chatty_stream_still_keeps_its_deadline(client: Client) -> None:
    p = client.predictions.create(
        {"input": {"stream": list(range(60)), "sleep": 6}}, model="demo/echo"
    )
    # Events arrive every 0.1 s, so no read ever times out; the deadline must still hold.
    with pytest.raises(WaitTimeoutError) as caught:
        p.wait(WaitOptions(timeout=1.0))
    assert caught.value.prediction is not None
    assert caught.value.prediction.status != "succeeded"
    client.predictions.cancel(p.id)
