"""The event-stream path on arbitrary byte splits and junk lines.

A well-formed stream, cut into chunks at arbitrary byte offsets (inside a UTF-8 character, inside
a CRLF) and sprinkled with comments, `retry:` and unknown fields, yields exactly its events, in
order, through the real consumer (`client.predictions.stream`). Arbitrary lines fed to the decoder
give an event, nothing, or a PredictKitError; never another exception.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st
from predictkit import Client, PredictKitError
from predictkit.streaming import SSEDecoder

from .strategies import json_values

event_ids = st.text(
    st.characters(min_codepoint=33, max_codepoint=0x2FFF, exclude_characters="\r\n"),
    min_size=1,
    max_size=8,
)
events = st.lists(
    st.tuples(st.sampled_from(["init", "output", "future-kind"]), json_values),
    max_size=6,
)
junk = st.sampled_from([": keep-alive", ":", "retry: 1000", "x-unknown: 1", "event", "id"])
newlines = st.sampled_from(["\n", "\r\n", "\r"])


class _Chunks(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks


def _encode(
    items: list[tuple[str, Any]], junk_lines: list[str], newline: str
) -> tuple[bytes, list[tuple[str, str, Any]]]:
    lines: list[str] = []
    expected = []
    for number, (kind, data) in enumerate([*items, ("done", {"status": "succeeded"})], 1):
        if junk_lines:
            lines.append(junk_lines[number % len(junk_lines)])
        text = json.dumps(data, indent=number % 2 or None)  # multi-line data for odd events
        lines += [f"id: {number}", f"event: {kind}"]
        lines += [f"data: {part}" for part in text.split("\n")]
        lines.append("")
        expected.append((str(number), kind, data))
    return newline.join(lines).encode() + newline.encode(), expected


def _split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(body) + 1) for c in cuts} | {0, len(body)})
    return [body[a:b] for a, b in itertools.pairwise(points)]


@given(
    items=events,
    junk_lines=st.lists(junk, max_size=3),
    newline=newlines,
    cuts=st.lists(st.integers(0, 10**6), max_size=20),
)
def test_any_split_yields_every_event_once_in_order(
    items: list[tuple[str, Any]], junk_lines: list[str], newline: str, cuts: list[int]
) -> None:
    body, expected = _encode(items, junk_lines, newline)
    chunks = _split(body, cuts)
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=_Chunks(chunks)
        )

    with Client("t0ken", "https://api.test/v1", transport=httpx.MockTransport(handler)) as client:
        got = [(e.id, e.event, e.data) for e in client.predictions.stream("p1")]
    assert got == expected
    assert len(requests) == 1  # the terminal event ends it: no reconnect


@given(lines=st.lists(st.text(max_size=60), max_size=30))
def test_decoder_on_arbitrary_lines_never_raises_untyped(lines: list[str]) -> None:
    decoder = SSEDecoder()
    for line in [*lines, ""]:
        try:
            event = decoder.feed(line.replace("\n", "").replace("\r", ""))
        except PredictKitError:
            decoder = SSEDecoder()
            continue
        if event is not None:
            assert isinstance(event.id, str)
            assert isinstance(event.event, str)


@given(event_id=event_ids, data=json_values)
def test_decoder_round_trips_one_event(event_id: str, data: Any) -> None:
    decoder = SSEDecoder()
    lines = [
        f"id: {event_id}",
        "event: output",
        *(f"data: {p}" for p in json.dumps(data).split("\n")),
        "",
    ]
    out = [e for e in map(decoder.feed, lines) if e is not None]
    assert [(e.id, e.event, e.data) for e in out] == [(event_id.removeprefix(" "), "output", data)]
