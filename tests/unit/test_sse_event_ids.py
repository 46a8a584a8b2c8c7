"""A hostile server's event id cannot crash a stream: ids are resume points sent back in the
URL (``after_id``), so an id too long for any URL used to end the iterator with httpx's
untyped ``InvalidURL`` on the next reconnect (found by the h24 review). It is a StreamError now,
at the event that carries it, and a wait hearing one falls back to polling like any broken
stream."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from predictkit import Client, StreamError
from predictkit.streaming import MAX_EVENT_ID, SSEDecoder

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"


def test_the_decoder_refuses_an_overlong_id_and_keeps_a_long_legal_one() -> None:
    decoder = SSEDecoder()
    assert decoder.feed("id: " + "7" * MAX_EVENT_ID) is None
    event = decoder.feed("data: 1") or decoder.feed("")
    assert event is not None and event.id == "7" * MAX_EVENT_ID
    with pytest.raises(StreamError, match="id") as info:
        SSEDecoder().feed("id: " + "9" * (MAX_EVENT_ID + 1))
    assert len(str(info.value)) < 500  # the id is not echoed whole


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_stream_whose_server_sends_a_megabyte_id_raises_stream_error(mode: str) -> None:
    sent: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url.params.get("after_id", ""))[:10])
        body = b"id: " + b"9" * 1_000_000 + b"\nevent: output\ndata: 1\n\n"
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    client = Client(
        access_token="tok_event-ids",
        api_base_url="https://api.test/v1",
        transport=httpx.MockTransport(handle),
        async_transport=httpx.MockTransport(handle),
    )
    with client, pytest.raises(StreamError):
        if mode == "sync":
            with client.predictions.stream(PID) as events:
                list(events)
        else:

            async def drain() -> None:
                async with client.predictions.async_stream(PID) as events:
                    async for _ in events:
                        pass

            asyncio.run(drain())
    assert sent == [""]  # refused at the event: no reconnect carried it
