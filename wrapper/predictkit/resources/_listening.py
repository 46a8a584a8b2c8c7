"""Listening to a prediction's event stream for a wait (the wait policy's ``Listen`` step).

One round opens the stream after the last event heard, reads until a terminal event, the
server closes it, or the step's budget runs out, and reports what it heard (``Heard``); the
wait policy (predictkit.waiting) decides what comes next. The round's deadline bounds it however
the server trickles bytes. The stream request and the SSE framing are the ones
``client.predictions.stream`` uses (predictkit.streaming).
"""

from __future__ import annotations

import contextlib
import time

import httpx

from predictkit import _aio
from predictkit._api import API, Call
from predictkit._body import aiter_lines, iter_lines
from predictkit._error_map import error_from_exception
from predictkit._prediction import PredictionWithIO
from predictkit._reconnect import TERMINAL_EVENTS, Connection
from predictkit._sse import SSEDecoder, stream_call
from predictkit.resources._prediction_calls import deadline_in
from predictkit.streaming import endless_repeats
from predictkit.waiting import Heard, Listen


class _Hearing:
    """Consume SSE lines for a wait until a terminal event or the deadline (events arriving
    steadily never reset it); report what was heard: new events only, not those the wait has
    already heard on this stream (predictkit._reconnect's `Connection`, as the iterator)."""

    def __init__(
        self, prediction_id: str, step: Listen, deadline: float | None, limit: int
    ) -> None:
        self._prediction_id = prediction_id
        self._decoder = SSEDecoder(limit=limit)
        self._deadline = deadline
        self._connection = Connection(step.after_id, step.seen)
        self._last_id = step.after_id
        self._terminal = False
        self._final: PredictionWithIO | None = None
        self._opened = time.monotonic()  # made once the response headers are in

    def feed(self, line: str) -> bool:
        """True when listening should stop."""
        event = self._decoder.feed(line)
        if event is not None and self._connection.is_new(event.id, own_id=self._decoder.own_id):
            self._last_id = event.id or self._last_id
            self._terminal = event.event in TERMINAL_EVENTS
            if self._terminal:
                self._final = _prediction_in(event.data)
        elif event is not None and self._connection.endless:  # the wait polls instead
            raise endless_repeats(self._prediction_id, self._connection.repeats)
        return self._terminal or (self._deadline is not None and time.monotonic() >= self._deadline)

    def heard(self) -> Heard:
        lasted = time.monotonic() - self._opened
        new, repeats = self._connection.new, self._connection.repeats
        return Heard(self._last_id, new, self._terminal, self._final, lasted, repeats)


def _prediction_in(data: object) -> PredictionWithIO | None:
    """The prediction a terminal event carries, if its data is one (undocumented: the reference
    server sends only ``{"status": ...}``, and then the wait fetches it). Not yet bound to a
    client: the executor binds it."""
    if not isinstance(data, dict) or not {"id", "status", "created_at", "model"} <= data.keys():
        return None
    try:
        return PredictionWithIO.from_dict(data)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def _round(prediction_id: str, step: Listen) -> Call:
    return stream_call(prediction_id, step.after_id, step.idle, deadline_in(step.budget))


def listen(api: API, prediction_id: str, step: Listen) -> Heard:
    """One round on the stream (a hard stop at its deadline: the watchdog shuts a stalled
    read then)."""
    call = _round(prediction_id, step)
    response = api.open(call)
    limit = api.max_response_bytes
    hearing = _Hearing(prediction_id, step, call.deadline, limit)
    lines = iter_lines(
        response, limit=limit, deadline=lambda: call.deadline, hard_deadline=call.deadline
    )
    try:
        with contextlib.closing(lines):  # disarms the watchdog before the socket is reused
            for line in lines:
                if hearing.feed(line):
                    break
    except httpx.ReadTimeout:
        pass  # quiet for the whole idle gap or the wait's budget: the policy looks again
    except httpx.RequestError as exc:
        raise error_from_exception(exc, response.request, call) from exc
    finally:
        response.close()
    return hearing.heard()


async def alisten(api: API, prediction_id: str, step: Listen) -> Heard:
    call = _round(prediction_id, step)
    response = await api.aopen(call)
    limit = api.max_response_bytes
    hearing = _Hearing(prediction_id, step, call.deadline, limit)
    try:
        lines = aiter_lines(response, limit=limit, deadline=lambda: call.deadline)
        async with _aio.deadline(call.deadline):
            async for line in lines:
                if hearing.feed(line):
                    break
    except (httpx.ReadTimeout, _aio.Expired):
        pass
    except httpx.RequestError as exc:
        raise error_from_exception(exc, response.request, call) from exc
    finally:
        await response.aclose()
    return hearing.heard()
