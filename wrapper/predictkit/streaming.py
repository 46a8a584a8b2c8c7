"""Prediction event streams: the SSE decoder (pure) and resumable sync/async iterators.

A stream yields typed PredictionStreamEvent objects (``id``, ``event``, ``data``) and ends after
the terminal event (``done`` or ``error``). When the connection drops or the server closes it
without a terminal event, the iterator reconnects with ``after_id`` = the last event id it
yielded, so no event is lost or repeated; ``last_event_id`` lets a job checkpoint and resume
later with ``stream(prediction_id, after_id=...)``. Closing the iterator closes the connection.

Bounds: one line, and one event's data, may be at most ``max_event_bytes`` (the client's
``max_response_bytes``), else ResponseTooLargeError; a connection whose bytes never complete a
line for the idle gap plus a margin counts as dropped (and is resumed), however slowly they
trickle in.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from types import TracebackType
from typing import Self

import attrs
import httpx
from predictkit_api.api.predictions import stream_prediction
from predictkit_api.models.prediction_stream_event import PredictionStreamEvent
from predictkit_api.models.prediction_stream_event_type import check_prediction_stream_event_type
from predictkit_api.types import UNSET

from predictkit import _aio
from predictkit._body import DEFAULT_MAX_RESPONSE_BYTES, aiter_lines, iter_lines
from predictkit._call import Call
from predictkit._error_map import error_from_exception
from predictkit._errors import (
    APIConnectionError,
    APIStatusError,
    ResponseTooLargeError,
    StreamError,
)

__all__ = [
    "TERMINAL_EVENTS",
    "AsyncPredictionStream",
    "PredictionStream",
    "PredictionStreamEvent",
    "SSEDecoder",
]

TERMINAL_EVENTS = frozenset({"done", "error"})
DEFAULT_IDLE = 30.0
"""Longest quiet gap (seconds) we ask the server to hold a stream open between events."""
_READ_MARGIN = 5.0
MAX_RECONNECTS = 5
"""Failed connections in a row (errors, or closed at once without an event) before giving up."""
MIN_HEALTHY_CONNECTION = 0.5
"""Seconds a connection closed cleanly without events must have lasted to count as healthy."""
QUIET_BEFORE_CHECK = 3
"""Healthy connections without events in a row before checking that the prediction runs."""


@attrs.define
class SSEDecoder:
    """Turns lines of a text/event-stream into events. Follows the SSE framing the API uses:
    ``id:``, ``event:``, ``data:`` fields (one optional space after the colon), ``:`` comments,
    a blank line dispatches; several ``data:`` lines join with newlines; an event without data
    is not dispatched. Unknown fields (``retry:``) are ignored. An event whose data exceeds
    ``limit`` characters raises ResponseTooLargeError."""

    _id: str | None = None
    _event: str | None = None
    _data: list[str] = attrs.field(factory=list)
    limit: int = attrs.field(default=DEFAULT_MAX_RESPONSE_BYTES, kw_only=True)
    _size: int = attrs.field(default=0, init=False)

    def feed(self, line: str) -> PredictionStreamEvent | None:
        """Consume one line (without its newline); return an event when the line completes one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "id":
            self._id = value
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
        raw = "\n".join(data)
        try:
            payload = json.loads(raw)
        except ValueError:
            raise StreamError(
                f"Stream event {event_id!r} has data that is not JSON: {raw[:200]!r}"
            ) from None
        name = check_prediction_stream_event_type(event_name or "message")
        return PredictionStreamEvent(id=event_id or "", event=name, data=payload)


def stream_call(
    prediction_id: str, after_id: str | None, idle: float, deadline: float | None = None
) -> Call:
    """The request that opens (or resumes) a prediction's event stream; reads time out after
    the idle gap plus a margin, or at ``deadline`` (time.monotonic()) if that comes first."""
    kwargs = stream_prediction.build_request(
        prediction_id,
        after_id=after_id if after_id is not None else UNSET,
        prefer=f"wait={idle:g}",
    )
    kwargs.setdefault("headers", {})["Accept"] = "text/event-stream"
    timeout = httpx.Timeout(idle + _READ_MARGIN, connect=10.0)
    return Call(kwargs, timeout=timeout, prediction_id=prediction_id, deadline=deadline)


@attrs.define
class _Resume:
    """Pure bookkeeping shared by the sync and async iterators: what was seen, when to stop."""

    prediction_id: str
    last_event_id: str | None
    idle: float
    clock: Callable[[], float] = time.monotonic
    finished: bool = False
    failures: int = 0
    resumed_from: str | None = None
    events: int = 0
    quiet: int = 0
    connected_at: float = attrs.field(init=False)
    heard_at: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.connected_at = self.heard_at = self.clock()

    def stall_deadline(self) -> float:
        """When the connection counts as stalled: no complete line for the idle gap plus a
        margin (the server pings a quiet stream well within it)."""
        return self.heard_at + self.idle + _READ_MARGIN

    def heard(self) -> None:
        """A complete line arrived."""
        self.heard_at = self.clock()

    def call(self) -> Call:
        """The request for the next connection, resuming after the last event seen."""
        self.resumed_from, self.events = self.last_event_id, 0
        return stream_call(self.prediction_id, self.last_event_id, self.idle)

    def opened(self) -> None:
        """The response headers arrived: the connection's life starts now (not at connect)."""
        self.connected_at = self.heard_at = self.clock()

    def should_check_end(self) -> bool:
        """After a few quiet connections in a row, ask whether the prediction has ended: a
        stream resumed after its terminal event would otherwise reconnect forever."""
        if self.quiet < QUIET_BEFORE_CHECK:
            return False
        self.quiet = 0
        return True

    def accept(self, event: PredictionStreamEvent) -> bool:
        """Record an event; False for the one event a server may replay on resume (the first
        of a connection, carrying the id we resumed after). Events without an ``id:`` line of
        their own inherit the previous id (SSE rules), so a repeated id alone proves nothing."""
        if self.events == 0 and event.id and event.id == self.resumed_from:
            return False
        self.events += 1
        self.last_event_id = event.id or self.last_event_id
        self.failures = 0
        self.finished = event.event in TERMINAL_EVENTS
        return True

    def on_disconnect(self, cause: BaseException | None) -> float:
        """Connection ended without a terminal event: the delay before reconnecting, or raise.

        A server closing a quiet stream after its idle gap is normal (the prediction may be
        silent for minutes): that is no failure when the connection carried events or lasted.
        Errors, and connections that end at once with nothing, count; too many in a row raise.
        """
        lasted = self.clock() - self.connected_at >= MIN_HEALTHY_CONNECTION
        if cause is None and (self.events > 0 or lasted):
            self.failures = 0
            self.quiet = 0 if self.events > 0 else self.quiet + 1
            return 0.0
        self.failures += 1
        if self.failures > MAX_RECONNECTS:
            raise StreamError(
                f"The event stream of prediction {self.prediction_id} kept failing "
                f"({MAX_RECONNECTS} reconnects in a row, last event {self.last_event_id!r}). "
                "Resume later with stream(prediction_id, after_id=last_event_id).",
                prediction_id=self.prediction_id,
            ) from cause
        return (
            0.0
            if cause is None and self.failures == 1
            else min(0.25 * 2 ** (self.failures - 1), 4.0)
        )


def _mid_stream_error(
    exc: httpx.RequestError, response: httpx.Response, call: Call
) -> APIConnectionError:
    err = error_from_exception(exc, response.request, call)
    return err if isinstance(err, APIConnectionError) else APIConnectionError(str(err))


class PredictionStream:
    """Iterator over a prediction's events; resumes after drops; a context manager."""

    def __init__(
        self,
        open_response: Callable[[Call], httpx.Response],
        prediction_id: str,
        *,
        after_id: str | None = None,
        idle: float = DEFAULT_IDLE,
        has_ended: Callable[[], bool] | None = None,
        max_event_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._open = open_response
        self._has_ended = has_ended
        self._state = _Resume(prediction_id, after_id, idle)
        self._limit = max_event_bytes
        self._events = self._run()

    @property
    def last_event_id(self) -> str | None:
        """Id of the last event yielded: pass it as ``after_id`` to resume elsewhere."""
        return self._state.last_event_id

    def _run(self) -> Generator[PredictionStreamEvent, None, None]:
        state = self._state
        while not state.finished:
            call = state.call()
            response = self._open(call)
            state.opened()
            cause: BaseException | None = None
            try:
                decoder = SSEDecoder(limit=self._limit)
                lines = iter_lines(response, limit=self._limit, deadline=state.stall_deadline)
                for line in lines:
                    state.heard()
                    event = decoder.feed(line)
                    if event is not None and state.accept(event):
                        yield event
                        if event.event in TERMINAL_EVENTS:
                            return
            except httpx.RequestError as exc:
                cause = _mid_stream_error(exc, response, call)
            finally:
                response.close()
            time.sleep(state.on_disconnect(cause))
            if state.should_check_end() and self._has_ended is not None and self._has_ended():
                return  # ended, and nothing came after the id we resumed from

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> PredictionStreamEvent:
        return next(self._events)

    def close(self) -> None:
        """Stop reading and close the connection."""
        self._events.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncPredictionStream:
    """Async twin of PredictionStream (``async for``, ``async with``, ``aclose()``)."""

    def __init__(
        self,
        open_response: Callable[[Call], Awaitable[httpx.Response]],
        prediction_id: str,
        *,
        after_id: str | None = None,
        idle: float = DEFAULT_IDLE,
        has_ended: Callable[[], Awaitable[bool]] | None = None,
        max_event_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._open = open_response
        self._has_ended = has_ended
        self._state = _Resume(prediction_id, after_id, idle)
        self._limit = max_event_bytes
        self._events = self._run()

    @property
    def last_event_id(self) -> str | None:
        """Id of the last event yielded: pass it as ``after_id`` to resume elsewhere."""
        return self._state.last_event_id

    async def _run(self) -> AsyncGenerator[PredictionStreamEvent, None]:
        state = self._state
        while not state.finished:
            call = state.call()
            response = await self._open(call)
            state.opened()
            cause: BaseException | None = None
            try:
                decoder = SSEDecoder(limit=self._limit)
                lines = aiter_lines(response, limit=self._limit, deadline=state.stall_deadline)
                async for line in lines:
                    state.heard()
                    event = decoder.feed(line)
                    if event is not None and state.accept(event):
                        yield event
                        if event.event in TERMINAL_EVENTS:
                            return
            except httpx.RequestError as exc:
                cause = _mid_stream_error(exc, response, call)
            finally:
                await response.aclose()
            await _aio.sleep(state.on_disconnect(cause))
            if state.should_check_end() and self._has_ended is not None and await self._has_ended():
                return

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> PredictionStreamEvent:
        return await anext(self._events)

    async def aclose(self) -> None:
        """Stop reading and close the connection."""
        await self._events.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def is_stream_unavailable(exc: BaseException) -> bool:
    """A 4xx on opening the stream means this prediction has none (poll instead)."""
    return (
        isinstance(exc, APIStatusError) and 400 <= exc.status_code < 500 and exc.status_code != 429
    )
