"""The prediction event stream as an ASGI response (``text/event-stream``).

Sends the retained events after ``after_id``, then follows the prediction live. Every event has
``id:``, ``event:`` and one JSON ``data:`` line. The stream ends after the terminal event (``done``
or ``error``), or cleanly without one when no event came for ``idle`` seconds (the client resumes
with ``after_id``). While it waits, a ``: ping`` comment goes out every ``ping_interval`` seconds.
A ``cut_stream`` fault (scope key ``predictkit.cut_after``) closes the connection after that many
events, mid-body, through the abort callable the gate puts in the scope.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import Receive, Scope, Send

from predictkit.testing._lifecycle import Event, Prediction, first_completed

CUT_AFTER_KEY = "predictkit.cut_after"
CUT_MID_EVENT_KEY = "predictkit.cut_mid_event"
ABORT_KEY = "predictkit.abort"


def frame(event: Event) -> bytes:
    data = json.dumps(event.data, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.event}\ndata: {data}\n\n".encode()


class EventStreamResponse:
    def __init__(
        self,
        prediction: Prediction,
        *,
        after_id: int,
        idle: float,
        closing: asyncio.Event,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        ping_interval: float = 15.0,
    ) -> None:
        self.prediction = prediction
        self.after_id = after_id
        self.idle = idle
        self.closing = closing
        self.status_code = status_code
        self.headers = headers or {}
        self.ping_interval = ping_interval

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache",
            **self.headers,
        }
        await send(
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        disconnected = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            disconnected.set()

        watcher = asyncio.ensure_future(watch())
        try:
            if await self._stream(scope, send, disconnected):
                await scope[ABORT_KEY]()
                return
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)

    async def _stream(self, scope: Scope, send: Send, disconnected: asyncio.Event) -> bool:
        """Send events until the stream should end; True when a fault asks to cut it."""
        cut_after: int | None = scope.get(CUT_AFTER_KEY)
        mid_event = bool(scope.get(CUT_MID_EVENT_KEY))
        loop = asyncio.get_running_loop()
        sent = 0
        position = self.after_id
        last_event = last_write = loop.time()
        while not (disconnected.is_set() or self.closing.is_set()):
            changed = self.prediction.changed
            for event in self.prediction.events[position:]:
                if cut_after is not None and sent >= cut_after:
                    if mid_event:  # half of the next event's bytes, then the cut
                        half = frame(event)[: len(frame(event)) // 2]
                        await send({"type": "http.response.body", "body": half, "more_body": True})
                    return True
                await send({"type": "http.response.body", "body": frame(event), "more_body": True})
                sent += 1
                position = event.id
                last_event = last_write = loop.time()
                if event.event in {"done", "error"}:
                    return False
            if cut_after is not None and sent >= cut_after:
                return True
            now = loop.time()
            if now - last_event >= self.idle:
                return False
            if now - last_write >= self.ping_interval:
                await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
                last_write = now
            wait = min(last_event + self.idle, last_write + self.ping_interval) - now
            await first_completed(
                changed.wait(),
                disconnected.wait(),
                self.closing.wait(),
                seconds=wait,
            )
        return False
