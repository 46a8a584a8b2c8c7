"""The event stream on the wire: the request that opens (or resumes) a prediction's
text/event-stream, and the pure decoder of the lines it sends.

predictkit.streaming (the resumable iterators) and a wait's listening
(predictkit.resources._listening) both read a stream through these; neither this module nor
its decoder does any I/O or keeps any time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs
import httpx
from predictkit_api.api.predictions import stream_prediction
from predictkit_api.models.prediction_stream_event import PredictionStreamEvent
from predictkit_api.models.prediction_stream_event_type import check_prediction_stream_event_type
from predictkit_api.types import UNSET

from predictkit._api import API
from predictkit._body import DEFAULT_MAX_RESPONSE_BYTES
from predictkit._call import Call
from predictkit._errors import ResponseTooLargeError, StreamError

MAX_EVENT_ID = 1024
"""Longest event id accepted: each id is sent back as ``after_id`` in the URL of the next
connection. The API's ids are short integers; this bounds what a hostile server can make the
client put in a URL (httpx refuses a query over 64 KiB with an untyped error)."""


DEFAULT_IDLE = 30.0
"""Longest quiet gap (seconds) we ask the server to hold a stream open between events."""
READ_MARGIN = 5.0
"""What a read waits beyond the idle gap before a quiet connection counts as stalled."""


@attrs.define
class SSEDecoder:
    """Turns lines of a text/event-stream into events. Follows the SSE framing the API uses:
    ``id:``, ``event:``, ``data:`` fields (one optional space after the colon), ``:`` comments,
    a blank line dispatches; several ``data:`` lines join with newlines; an event without data
    is not dispatched. Unknown fields (``retry:``) are ignored. An event whose data exceeds
    ``limit`` characters raises ResponseTooLargeError. ``own_id`` tells whether the last event
    returned came with an ``id:`` line of its own since the one before (else it inherited
    that one's id, which says nothing about whether it is a repeat)."""

    _id: str | None = None
    _event: str | None = None
    _data: list[str] = attrs.field(factory=list)
    limit: int = attrs.field(default=DEFAULT_MAX_RESPONSE_BYTES, kw_only=True)
    _size: int = attrs.field(default=0, init=False)
    _fresh_id: bool = attrs.field(default=False, init=False)
    own_id: bool = attrs.field(default=False, init=False)

    def feed(self, line: str) -> PredictionStreamEvent | None:
        """Consume one line (without its newline); return an event when the line completes one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "id":
            if len(value) > MAX_EVENT_ID:
                raise StreamError(
                    f"The server sent an event id of {len(value):,} characters (at most "
                    f"{MAX_EVENT_ID:,} can be a resume point in a URL): {value[:40]!r}..."
                )
            self._id, self._fresh_id = value, True
        elif name == "event":
            self._event = value
        elif name == "data":
            self._size += len(value) + 1
            if self._size > self.limit:
                raise ResponseTooLargeError(
                    f"An event of the stream is larger than {self.limit:,} bytes, the most this "
                    "client holds in memory. If that is expected, raise "
                    "Client(max_response_bytes=...).",
                    limit=self.limit,
                )
            self._data.append(value)
        return None

    def _dispatch(self) -> PredictionStreamEvent | None:
        data, self._data, self._size = self._data, [], 0
        event_id, event_name = self._id, self._event
        self._event = None
        if not data:
            return None
        self.own_id, self._fresh_id = self._fresh_id, False
        raw = "\n".join(data)
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's stack
            raise StreamError(
                f"Stream event {event_id!r} has data that is not JSON: {raw[:200]!r}"
            ) from None
        name = check_prediction_stream_event_type(event_name or "message")
        return PredictionStreamEvent(id=event_id or "", event=name, data=payload)


def stream_call(
    prediction_id: str,
    after_id: str | None,
    idle: float,
    deadline: float | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Call:
    """The request that opens (or resumes) a prediction's event stream; reads time out after
    the idle gap plus a margin, or at ``deadline`` (time.monotonic()) if that comes first.
    ``extra_headers`` are checked (InvalidInputError) and sent as with every other call."""
    kwargs = stream_prediction.build_request(
        prediction_id,
        after_id=after_id if after_id is not None else UNSET,
        prefer=f"wait={idle:g}",
    )
    kwargs.setdefault("headers", {})["Accept"] = "text/event-stream"
    timeout = httpx.Timeout(idle + READ_MARGIN, connect=10.0)
    return API.call(
        kwargs,
        timeout=timeout,
        extra_headers=extra_headers,
        prediction_id=prediction_id,
        deadline=deadline,
    )
