"""A prediction's state, its retained event stream, and the task that moves it along.

Status moves pending -> starting -> started -> succeeded | failed | cancelled, never backwards,
each step a real step of an asyncio task. Every change wakes the waiters (``Prefer: wait``, event
streams) and is reported to ``on_change`` (webhook delivery). Events are numbered per prediction
("1", "2", ...) and retained, so a stream opened late replays them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

TERMINAL = frozenset({"succeeded", "failed", "cancelled", "abandoned"})
CANCEL_LATENCY = 0.05  # seconds between a cancel request and the task stopping
STATUSES = ("pending", "starting", "started", "failed", "succeeded", "cancelled", "abandoned")


async def first_completed(*aws: Awaitable[Any], seconds: float) -> None:
    """Wait until any of ``aws`` finishes or ``seconds`` pass, then cancel the others."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        await asyncio.wait(tasks, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def utc_now() -> str:
    """The API's timestamp format, e.g. ``2025-01-02T03:04:05.678901Z``."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class TaskFailure(Exception):
    """Raised by a model run; becomes the prediction's task ``error``."""

    def __init__(self, message: str, *, source: str = "external", detail: Any = None) -> None:
        super().__init__(message)
        self.error = {"source": source, "message": message, "detail": detail}


@dataclass(frozen=True)
class Event:
    id: int
    event: str
    data: Any


@dataclass
class Webhook:
    url: str
    secret: str | None


# A model run: gets the input and an `emit` callback for streamed output; returns the output.
ModelRun = Callable[[dict[str, Any], Callable[[Any], None]], Awaitable[Any]]


@dataclass(eq=False)
class Prediction:
    id: str
    seq: int
    owner: str
    name: str
    version_number: int
    input: dict[str, Any]
    webhook: Webhook | None
    stream_available: bool
    on_change: Callable[[Prediction], None]
    status: str = "pending"
    output: Any = None
    error: dict[str, Any] | None = None
    created_at: str = field(default_factory=utc_now)
    updated_at: str = ""
    events: list[Event] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    cancel_requested: bool = False
    _marks: dict[str, float] = field(default_factory=dict)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.updated_at = self.created_at
        self._marks["pending"] = time.monotonic()
        self._emit("init", self.details())

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    # --- bodies -------------------------------------------------------------------------------

    def _seconds(self, start: str, end: str) -> str | None:
        if start in self._marks and end in self._marks:
            return f"{self._marks[end] - self._marks[start]:.3f}"
        return None

    def summary(self) -> dict[str, Any]:
        """The list shape (``GET /predictions`` items)."""
        return {
            "id": self.id,
            "model": {
                "owner": self.owner,
                "name": self.name,
                "version_number": self.version_number,
            },
            "created_at": self.created_at,
            "status": self.status,
            "updated_at": self.updated_at,
            "setup_time": self._seconds("starting", "started"),
            "execution_time": self._seconds("started", "finished"),
        }

    def details(self) -> dict[str, Any]:
        """The full shape, as get, create and webhook deliveries send it."""
        finished = "finished" in self._marks
        predict_time = self._marks.get("finished", 0.0) - self._marks.get(
            "started", self._marks.get("finished", 0.0)
        )
        return {
            **self.summary(),
            "input": self.input,
            "output": self.output,
            "error": self.error,
            "metrics": {"predict_time": round(predict_time, 6)} if finished else None,
            "stream": self.stream_available,
        }

    # --- waiting ------------------------------------------------------------------------------

    @property
    def changed(self) -> asyncio.Event:
        """Set at the next change (status or event). Take it before looking, then wait on it."""
        return self._changed

    async def wait_terminal(self, seconds: float, closing: asyncio.Event) -> None:
        """Return once the prediction has ended, ``seconds`` passed, or ``closing`` is set."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not (self.terminal or closing.is_set()):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return
            await first_completed(self._changed.wait(), closing.wait(), seconds=remaining)

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    # --- transitions --------------------------------------------------------------------------

    def _emit(self, event: str, data: Any) -> None:
        self.events.append(Event(len(self.events) + 1, event, data))

    def emit_output(self, chunk: Any) -> None:
        """One streamed output item, as an ``output`` event."""
        self._emit("output", chunk)
        self._notify()

    def _advance(self, status: str) -> None:
        self.status = status
        self.updated_at = utc_now()
        self._marks["finished" if status in TERMINAL else status] = time.monotonic()
        if status in {"succeeded", "cancelled", "abandoned"}:
            self._emit("done", {"status": status})
        elif status == "failed":
            self._emit("error", self.error)
        self._notify()
        self.on_change(self)

    async def run(self, model: ModelRun) -> None:
        """The prediction's task: step through the statuses and run ``model``."""
        try:
            await asyncio.sleep(0)
            self._advance("starting")
            await asyncio.sleep(0)
            self._advance("started")
            streamed = 0

            def emit(chunk: Any) -> None:
                nonlocal streamed
                streamed += 1
                self.emit_output(chunk)

            output = await model(self.input, emit)
        except TaskFailure as failure:
            self.error = failure.error
            self._advance("failed")
        else:
            self.output = output
            if streamed == 0:
                self._emit("output", output)
            self._advance("succeeded")

    def start(self, model: ModelRun) -> asyncio.Task[None]:
        """Start the task (on the running loop) and return it."""
        self.task = asyncio.get_running_loop().create_task(self.run(model))
        self.task.add_done_callback(self._task_done)
        return self.task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        # A cancel lands here, also when the task was cancelled before its first step.
        if task.cancelled() and self.cancel_requested and not self.terminal:
            self._advance("cancelled")

    def request_cancel(self) -> None:
        """Ask the task to stop; the status turns ``cancelled`` once the task has stopped.

        As on the platform, the cancel takes effect a moment later (``CANCEL_LATENCY``), so the
        status is unchanged right after the request. A repeated cancel is a no-op.
        """
        if self.cancel_requested or self.task is None:
            return
        self.cancel_requested = True
        asyncio.get_running_loop().call_later(CANCEL_LATENCY, self.task.cancel)
