"""A wait's round on the event stream (predictkit.resources._listening) counts new events the way
the stream iterator does (the shared rules of predictkit._reconnect): the event a server replays
on resume is not new, so a server that only replays it and closes makes a quiet round, which
the wait's rules count as a failure, instead of a lively one reopened forever."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from predictkit import Client
from predictkit._call import Call
from predictkit.resources._listening import alisten, listen
from predictkit.streaming import PredictionStream
from predictkit.waiting import Heard, Listen

from ._calls import to_request

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
REPLAY = b'id: e4\nevent: output\ndata: "old"\n\n'
NEW = b'id: e5\nevent: output\ndata: "new"\n\n'


def client_answering(body: bytes, seen: list[httpx.Request]) -> Client:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, content=body, headers=headers)

    transport = httpx.MockTransport(handle)
    base = "https://api.test/v1"
    return Client("tok-secret", base, transport=transport, async_transport=transport)


def listen_both(body: bytes, after_id: str | None) -> tuple[Heard, Heard, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    client = client_answering(body, seen)
    step = Listen(after_id, 30.0, 10.0)
    heard = listen(client._api, PID, step)
    aheard = asyncio.run(alisten(client._api, PID, step))
    return heard, aheard, seen


def test_a_replayed_event_alone_is_a_quiet_round() -> None:
    heard, aheard, seen = listen_both(REPLAY, "e4")
    assert heard == aheard == Heard("e4", 0, False)
    assert [r.url.params["after_id"] for r in seen] == ["e4", "e4"]


def test_events_after_the_replay_count() -> None:
    heard, aheard, _ = listen_both(REPLAY + NEW, "e4")
    assert heard == aheard == Heard("e5", 1, False)


@pytest.mark.parametrize("after_id", [None, "e3"])
def test_the_same_event_is_new_when_not_resuming_after_it(after_id: str | None) -> None:
    heard, aheard, _ = listen_both(REPLAY, after_id)
    assert heard == aheard == Heard("e4", 1, False)


def test_the_iterator_and_the_wait_agree_on_what_is_new() -> None:
    def opener(call: Call) -> httpx.Response:
        return httpx.Response(200, content=REPLAY + NEW, request=to_request(call))

    stream = PredictionStream(opener, PID, after_id="e4")
    first = next(stream)
    stream.close()
    heard, _, _ = listen_both(REPLAY + NEW, "e4")
    assert (first.id, first.data) == ("e5", "new")
    assert heard.last_id == first.id
