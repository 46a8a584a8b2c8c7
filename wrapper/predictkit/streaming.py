"""Prediction event streams: resumable sync/async iterators over predictkit._sse (the wire).

A stream yields typed PredictionStreamEvent objects (``id``, ``event``, ``data``) and ends after
the terminal event (``done`` or ``error``). When the connection drops or the server closes it
without a terminal event, the iterator reconnects with ``after_id`` = the last event id it
yielded, so no event is lost; an event whose id it has already seen (a server replaying what
it sent) is not yielded again. ``last_event_id`` lets a job checkpoint and resume later with
``stream(prediction_id, after_id=...)``. Closing the iterator closes the connection. What a
dropped connection means (a failure or not, the back-off, when to give up with StreamError)
and which events are new follow the rules a wait's listening follows too:
predictkit._reconnect (STREAM_RULES).

``timeout`` bounds the whole stream from the first event asked for: every connection, read,
reconnect pause and end check; at it the iterator raises APITimeoutError (resume later with
``after_id``).

Bounds: one line, and one event's data, may be at most ``max_event_bytes`` (the client's
``max_response_bytes``), else ResponseTooLargeError; a connection whose bytes never complete a
line for the idle gap plus a margin counts as dropped (and is resumed), however slowly they
trickle in.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator, Mapping
from contextlib import closing
from typing import Generic, Self, TypeVar

import httpx
from predictkit_api.models.prediction_stream_event import PredictionStreamEvent

from predictkit import _aio
from predictkit._body import DEFAULT_MAX_RESPONSE_BYTES, aiter_lines, iter_lines
from predictkit._call import Call
from predictkit._checks import positive_seconds
from predictkit._error_map import error_from_exception
from predictkit._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidInputError,
    StreamError,
)
from predictkit._reconnect import (
    QUIET_BEFORE_CHECK,
    STREAM_RULES,
    TERMINAL_EVENTS,
    Connection,
    GiveUp,
    RecentIds,
    Resumption,
)
from predictkit._sse import DEFAULT_IDLE, MAX_EVENT_ID, READ_MARGIN, SSEDecoder, stream_call

__all__ = [
    "MAX_EVENT_ID",
    "MAX_RECONNECTS",
    "QUIET_BEFORE_CHECK",
    "TERMINAL_EVENTS",
    "AsyncPredictionStream",
    "PredictionStream",
    "PredictionStreamEvent",
    "SSEDecoder",
]

MAX_RECONNECTS = STREAM_RULES.max_reconnects
"""Failed connections in a row (errors, or closed at once without an event) still reconnected."""
OpenT = TypeVar("OpenT")
EndT = TypeVar("EndT")


def check_stream_timeout(timeout: object) -> float | None:
    """A stream's ``timeout=``: None (no limit) or positive, finite seconds."""
    if timeout is None:
        return None
    if not positive_seconds(timeout):
        raise InvalidInputError(
            "timeout must be a positive, finite number of seconds (the whole stream) or None, "
            f"not {timeout!r}."
        )
    return float(timeout)  # type: ignore[arg-type]  # positive_seconds checked it is a number


class _Resume:
    """One stream's bookkeeping, shared by the sync and async iterators: the connection under
    way (its events, when it opened, when a line last came) over the reconnect rules
    (predictkit._reconnect), which decide what follows its end and which events are new; and
    the stream's deadline (``timeout`` seconds from the first event asked for)."""

    def __init__(
        self,
        prediction_id: str,
        last_event_id: str | None,
        idle: float,
        clock: Callable[[], float] = time.monotonic,
        limit: int = DEFAULT_MAX_RESPONSE_BYTES,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.prediction_id, self.idle, self.clock, self.limit = prediction_id, idle, clock, limit
        self.timeout, self.extra_headers = timeout, extra_headers
        self.deadline: float | None = None
        self.resumption = Resumption(STREAM_RULES, last_event_id)
        self.seen = RecentIds(last_event_id) if last_event_id else RecentIds()
        self.connection = Connection(last_event_id, self.seen)
        self.finished = False
        self.check = False
        self.cause: APIConnectionError | None = None
        self.decoder = SSEDecoder(limit=limit)
        self.connected_at = self.heard_at = clock()

    @property
    def last_event_id(self) -> str | None:
        return self.resumption.after_id

    @property
    def failures(self) -> int:
        return self.resumption.failures

    def start(self) -> None:
        """The first event is asked for: the stream's deadline starts now."""
        if self.timeout is not None and self.deadline is None:
            self.deadline = self.clock() + self.timeout

    def expired(self) -> bool:
        return self.deadline is not None and self.clock() >= self.deadline

    def timed_out(self) -> APITimeoutError:
        """The error that ends a stream at its deadline."""
        return APITimeoutError(
            f"The event stream of prediction {self.prediction_id} did not end within its "
            f"timeout of {self.timeout:g} s (last event {self.last_event_id!r}). Resume with "
            "stream(prediction_id, after_id=last_event_id), or pass a larger timeout= "
            "(None: no limit).",
            method="GET",
            prediction_id=self.prediction_id,
        )

    def stall_deadline(self) -> float:
        """When the connection counts as stalled: no complete line for the idle gap plus a
        margin (the server pings a quiet stream well within it); or the stream's deadline."""
        stalled = self.heard_at + self.idle + READ_MARGIN
        return stalled if self.deadline is None else min(stalled, self.deadline)

    def pause(self, delay: float) -> float:
        """The back-off before reconnecting, cut to what the deadline leaves."""
        if self.deadline is None:
            return delay
        return max(0.0, min(delay, self.deadline - self.clock()))

    def call(self) -> Call:
        """The request for the next connection, resuming after the last event seen; raises
        the timeout error once the deadline has passed."""
        if self.expired():
            raise self.timed_out()
        self.connection = Connection(self.last_event_id, self.seen)
        self.decoder = SSEDecoder(limit=self.limit)
        after, idle = self.last_event_id, self.idle
        return stream_call(self.prediction_id, after, idle, self.deadline, self.extra_headers)

    def opened(self) -> None:
        """The response headers arrived: the connection's life starts now (not at connect)."""
        self.connected_at = self.heard_at = self.clock()

    @contextlib.contextmanager
    def reading(self, response: httpx.Response, call: Call) -> Iterator[None]:
        """Around the reading of one connection: it opened; a failure mid-stream is kept as
        ``cause`` (the connection broke: `on_disconnect` decides what follows), unless the
        stream's deadline has passed: then it is the timeout error."""
        self.opened()
        self.cause = None
        try:
            yield
        except httpx.RequestError as exc:
            if self.expired():
                raise self.timed_out() from exc
            self.cause = _mid_stream_error(exc, response, call)

    def line(self, line: str) -> PredictionStreamEvent | None:
        """A complete line arrived: the new event it completes, if any."""
        self.heard_at = self.clock()
        event = self.decoder.feed(line)
        if event is None or not self.accept(event, own_id=self.decoder.own_id):
            return None
        return event

    def accept(self, event: PredictionStreamEvent, *, own_id: bool = True) -> bool:
        """Record an event; False for one already seen on this stream (`Connection`).
        StreamError when one connection repeats without end."""
        if not self.connection.is_new(event.id, own_id=own_id):
            if self.connection.endless:
                raise endless_repeats(self.prediction_id, self.connection.repeats)
            return False
        self.resumption = self.resumption.event(event.id)
        self.finished = event.event in TERMINAL_EVENTS
        return True

    def should_check_end(self) -> bool:
        """Whether the rules asked, after the last connection, to check that the prediction
        runs (a stream resumed after its terminal event would otherwise reconnect forever)."""
        check, self.check = self.check, False
        return check and not self.expired()  # expired: the next call() raises the timeout

    def on_disconnect(self, cause: BaseException | None) -> float:
        """Connection ended without a terminal event: the delay before reconnecting, or raise
        StreamError when the rules give up."""
        lasted = self.clock() - self.connected_at
        connection = self.connection
        self.resumption, decision = (
            self.resumption.broke()
            if cause is not None
            else self.resumption.closed(
                events=connection.new, lasted=lasted, repeats=connection.repeats
            )
        )
        if isinstance(decision, GiveUp):
            raise StreamError(
                f"The event stream of prediction {self.prediction_id} kept failing "
                f"({MAX_RECONNECTS} reconnects in a row, last event {self.last_event_id!r}: "
                "connections that broke, closed at once, or only repeated events already "
                "seen). Resume later with stream(prediction_id, after_id=last_event_id).",
                prediction_id=self.prediction_id,
            ) from cause
        self.check = decision.check_end
        return decision.delay


def endless_repeats(prediction_id: str, repeats: int) -> StreamError:
    """The error for a connection that sends events already seen without end."""
    return StreamError(
        f"The event stream of prediction {prediction_id} sent {repeats:,} events in a row that "
        "it had already sent, on one connection: the server replays without end. Resume later "
        "with stream(prediction_id, after_id=last_event_id).",
        prediction_id=prediction_id,
    )


def _mid_stream_error(
    exc: httpx.RequestError, response: httpx.Response, call: Call
) -> APIConnectionError:
    err = error_from_exception(exc, response.request, call)
    return err if isinstance(err, APIConnectionError) else APIConnectionError(str(err))


class _Stream(Generic[OpenT, EndT]):
    """What both iterators hold: how to open a connection, how to check the prediction has
    ended (given the stream's deadline), and the stream's bookkeeping. The subclasses add only
    the loop, sync or async."""

    def __init__(
        self,
        open_response: OpenT,
        prediction_id: str,
        *,
        after_id: str | None = None,
        idle: float = DEFAULT_IDLE,
        has_ended: EndT | None = None,
        max_event_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        self._open = open_response
        self._has_ended = has_ended
        self._state = _Resume(
            prediction_id,
            after_id,
            idle,
            limit=max_event_bytes,
            timeout=timeout,
            extra_headers=extra_headers,
        )

    @property
    def last_event_id(self) -> str | None:
        """Id of the last event yielded: pass it as ``after_id`` to resume elsewhere."""
        return self._state.last_event_id


class PredictionStream(_Stream[Callable[[Call], httpx.Response], Callable[[float | None], bool]]):
    """Iterator over a prediction's events; resumes after drops; a context manager."""

    @functools.cached_property
    def _events(self) -> Generator[PredictionStreamEvent, None, None]:
        return self._run()

    def _run(self) -> Generator[PredictionStreamEvent, None, None]:
        state = self._state
        while not state.finished:
            call = state.call()
            response = self._open(call)
            lines = iter_lines(
                response,
                limit=state.limit,
                deadline=state.stall_deadline,
                hard_deadline=state.deadline,  # the watchdog ends a read blocked past it
            )
            with contextlib.closing(response), state.reading(response, call), closing(lines):
                for line in lines:
                    if (event := state.line(line)) is not None:
                        yield event
                        if event.event in TERMINAL_EVENTS:
                            return
            time.sleep(state.pause(state.on_disconnect(state.cause)))
            if state.should_check_end() and self._has_ended and self._has_ended(state.deadline):
                return  # ended, and nothing came after the id we resumed from

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> PredictionStreamEvent:
        self._state.start()
        return next(self._events)

    def close(self) -> None:
        """Stop reading and close the connection."""
        self._events.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncPredictionStream(
    _Stream[Callable[[Call], Awaitable[httpx.Response]], Callable[[float | None], Awaitable[bool]]]
):
    """Async twin of PredictionStream (``async for``, ``async with``, ``aclose()``)."""

    @functools.cached_property
    def _events(self) -> AsyncGenerator[PredictionStreamEvent, None]:
        return self._run()

    async def _run(self) -> AsyncGenerator[PredictionStreamEvent, None]:
        state = self._state
        while not state.finished:
            call = state.call()
            response = await self._open(call)
            async with contextlib.aclosing(response):
                with state.reading(response, call):
                    lines = aiter_lines(response, limit=state.limit, deadline=state.stall_deadline)
                    async for line in lines:
                        if (event := state.line(line)) is not None:
                            yield event
                            if event.event in TERMINAL_EVENTS:
                                return
            await _aio.sleep(state.pause(state.on_disconnect(state.cause)))
            if (
                state.should_check_end()
                and self._has_ended
                and await self._has_ended(state.deadline)
            ):
                return

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> PredictionStreamEvent:
        """The next event; with a deadline, the wait for it is cancelled there (between
        events only: never while the caller's own code runs)."""
        state = self._state
        state.start()
        if state.deadline is None:
            return await anext(self._events)
        try:
            async with _aio.deadline(state.deadline):
                return await anext(self._events)
        except _aio.Expired:
            raise state.timed_out() from None

    async def aclose(self) -> None:
        """Stop reading and close the connection."""
        await self._events.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def is_stream_unavailable(exc: BaseException) -> bool:
    """A 4xx on opening the stream means this prediction has none (poll instead)."""
    return (
        isinstance(exc, APIStatusError) and 400 <= exc.status_code < 500 and exc.status_code != 429
    )
