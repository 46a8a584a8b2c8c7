"""A wait's round on the event stream (predictkit.resources._listening) is judged the way the
stream iterator judges a connection (the shared rules of predictkit._reconnect):

- the event a server replays on resume is not new, so a server that only replays it and closes
  makes a quiet round (a failure), not a lively one reopened forever;
- a round's life is measured from the response headers, so a server slow to answer that then
  closes at once with nothing is a failure too, not a healthy round reopened forever."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from predictkit import Client
from predictkit._call import Call
from predictkit.resources._listening import alisten, listen
from predictkit.streaming import PredictionStream
from predictkit.waiting import Heard, Listen, WaitOptions, wait_policy

from ._calls import to_request
from .test_wait_policy import Clock, Script, kinds, pred, run

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
    # Two steps: each round remembers the ids it heard in its step's ``seen``.
    heard = listen(client._api, PID, Listen(after_id, 30.0, 10.0))
    aheard = asyncio.run(alisten(client._api, PID, Listen(after_id, 30.0, 10.0)))
    return heard, aheard, seen


def seen_as(heard: Heard) -> tuple[str | None, int, bool]:
    return heard.last_id, heard.events, heard.terminal


def test_a_replayed_event_alone_is_a_quiet_round() -> None:
    heard, aheard, seen = listen_both(REPLAY, "e4")
    assert seen_as(heard) == seen_as(aheard) == ("e4", 0, False)
    assert [r.url.params["after_id"] for r in seen] == ["e4", "e4"]


def test_events_after_the_replay_count() -> None:
    heard, aheard, _ = listen_both(REPLAY + NEW, "e4")
    assert seen_as(heard) == seen_as(aheard) == ("e5", 1, False)


@pytest.mark.parametrize("after_id", [None, "e3"])
def test_the_same_event_is_new_when_not_resuming_after_it(after_id: str | None) -> None:
    heard, aheard, _ = listen_both(REPLAY, after_id)
    assert seen_as(heard) == seen_as(aheard) == ("e4", 1, False)


def test_the_iterator_and_the_wait_agree_on_what_is_new() -> None:
    def opener(call: Call) -> httpx.Response:
        return httpx.Response(200, content=REPLAY + NEW, request=to_request(call))

    stream = PredictionStream(opener, PID, after_id="e4")
    first = next(stream)
    stream.close()
    heard, _, _ = listen_both(REPLAY + NEW, "e4")
    assert (first.id, first.data) == ("e5", "new")
    assert heard.last_id == first.id


def test_a_round_reports_how_long_it_lasted_from_its_headers() -> None:
    heard, aheard, _ = listen_both(REPLAY, "e4")
    for lasted in (heard.lasted, aheard.lasted):
        assert lasted is not None
        assert 0.0 <= lasted <= 10.0  # within the round's budget (Listen(..., 10.0))


def test_a_slow_answer_then_an_empty_close_is_a_failed_round() -> None:
    # Each listen step takes 2 s (a slow connect), but the stream lived 0.1 s after its headers
    # and said nothing: a failure each time, so a fetch follows each, and the third gives up.
    clock = Clock()
    empty = Heard("e1", 0, False, lasted=0.1)
    fetches = [pred("started", stream=True)] * 3 + [pred("succeeded")]
    script = Script(clock, fetches, [empty] * 3, listen_takes=2.0)
    steps, result = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script
    )
    assert result.status == "succeeded"
    assert kinds(steps) == ["Notify"] + ["Listen", "Fetch"] * 3 + ["Sleep", "Fetch", "Notify"]


def test_a_round_that_lived_long_after_its_headers_is_healthy() -> None:
    clock = Clock()
    empty = Heard("e1", 0, False, lasted=30.0)
    ended = Heard("e2", 1, True)
    script = Script(clock, [pred("succeeded")], [empty] * 4 + [ended], listen_takes=0.0)
    steps, _ = run(wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script)
    assert kinds(steps) == ["Notify"] + ["Listen"] * 5 + ["Fetch", "Notify"]
