"""Opening a prediction's event stream for ``client.predictions.stream`` and its async twin.

The arguments are checked before anything is sent; the stream (predictkit.streaming) is given
the API's ``open``, its body limit, and the check whether the prediction ended: a GET with the
stream's headers and the client's per-request timeout, cut by the stream's deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx

from predictkit._api import API
from predictkit._prediction import PredictionWithIO
from predictkit._sse import DEFAULT_IDLE, stream_call
from predictkit._types import is_terminal
from predictkit.resources._prediction_calls import (
    PerCall,
    check_after_id,
    check_prediction_id,
    get_call,
)
from predictkit.streaming import AsyncPredictionStream, PredictionStream, check_stream_timeout

Headers = Mapping[str, str] | None
Read = Callable[[httpx.Response], PredictionWithIO]


def open_stream(
    api: API,
    read: Read,
    prediction_id: str,
    *,
    after_id: str | None,
    timeout: object,
    extra_headers: Headers,
) -> PredictionStream:
    pid, seconds, get = _plan(prediction_id, after_id, timeout, extra_headers)

    def has_ended(deadline: float | None) -> bool:
        return is_terminal(api.send(get_call(pid, deadline, get), read).status)

    return PredictionStream(
        api.open,
        pid,
        after_id=after_id,
        has_ended=has_ended,
        max_event_bytes=api.max_response_bytes,
        timeout=seconds,
        extra_headers=extra_headers,
    )


def aopen_stream(
    api: API,
    read: Read,
    prediction_id: str,
    *,
    after_id: str | None,
    timeout: object,
    extra_headers: Headers,
) -> AsyncPredictionStream:
    pid, seconds, get = _plan(prediction_id, after_id, timeout, extra_headers)

    async def has_ended(deadline: float | None) -> bool:
        return is_terminal((await api.asend(get_call(pid, deadline, get), read)).status)

    return AsyncPredictionStream(
        api.aopen,
        pid,
        after_id=after_id,
        has_ended=has_ended,
        max_event_bytes=api.max_response_bytes,
        timeout=seconds,
        extra_headers=extra_headers,
    )


def _plan(
    prediction_id: str, after_id: str | None, timeout: object, extra_headers: Headers
) -> tuple[str, float | None, PerCall]:
    """Check a stream's arguments before anything is sent: the prediction id, the whole
    stream's timeout in seconds, and the options of the GET that checks whether the
    prediction ended (the headers; the client's per-request timeout, cut by the stream's
    deadline)."""
    pid = check_prediction_id(prediction_id)
    check_after_id(after_id)
    seconds = check_stream_timeout(timeout)
    stream_call(pid, after_id, DEFAULT_IDLE, extra_headers=extra_headers)  # checks headers
    return pid, seconds, PerCall(None, extra_headers)
