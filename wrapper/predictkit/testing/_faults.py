"""Faults a test injects into the reference server, and the queue that hands them out.

A fault replaces or disturbs the server's answer to the next requests of one operation, so a
client's handling of errors, proxies, broken connections and slow answers can be tested over a
real socket. Faults are configured only from Python (`ReferenceServer.inject`), never over HTTP.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal[
    "status", "html", "drop", "delay", "truncated", "cut_stream", "drip", "huge_body"
]


@dataclass(frozen=True)
class Fault:
    """One way to misbehave; build it with the class methods, e.g. ``Fault.status(503)``."""

    kind: FaultKind
    status_code: int = 200
    retry_after: float | None = None
    detail: str = ""
    seconds: float = 0.0
    after_handling: bool = False
    after_events: int = 0
    mid_event: bool = False
    body: bytes | None = None
    content_type: str = "application/json"
    size: int = 0
    gzip: bool = False

    @classmethod
    def status(
        cls,
        code: int,
        *,
        retry_after: float | None = None,
        detail: str = "Injected fault.",
        after_handling: bool = False,
    ) -> Fault:
        """Answer ``code`` with ``{"detail": detail}``, plus ``Retry-After`` when given;
        ``after_handling`` first does the work (a create creates), then answers the error."""
        if not 100 <= code <= 599:
            raise ValueError(f"Not an HTTP status code: {code}")
        return cls(
            "status",
            status_code=code,
            retry_after=retry_after,
            detail=detail,
            after_handling=after_handling,
        )

    @classmethod
    def html(cls, code: int = 502, *, after_handling: bool = False) -> Fault:
        """Answer ``code`` with a text/html page, as a proxy in front of the API would;
        ``after_handling`` first does the work, as a proxy timing out on a live server."""
        if not 100 <= code <= 599:
            raise ValueError(f"Not an HTTP status code: {code}")
        return cls("html", status_code=code, after_handling=after_handling)

    @classmethod
    def drop(cls, *, after_handling: bool = False) -> Fault:
        """Close the connection without a response; ``after_handling`` first does the work."""
        return cls("drop", after_handling=after_handling)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Wait ``seconds``, then handle the request normally."""
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        return cls("delay", seconds=seconds)

    @classmethod
    def truncated(cls) -> Fault:
        """Handle normally, then send the status, headers and only half of the body, and close."""
        return cls("truncated")

    @classmethod
    def cut_stream(cls, after_events: int, *, mid_event: bool = False) -> Fault:
        """On an event stream, send ``after_events`` events, then close the connection abruptly;
        ``mid_event`` first sends half of the next event (a cut inside an event's bytes)."""
        if after_events < 0:
            raise ValueError("after_events must be >= 0")
        return cls("cut_stream", after_events=after_events, mid_event=mid_event)

    @classmethod
    def drip(
        cls,
        seconds: float,
        *,
        body: bytes | None = None,
        content_type: str = "application/json",
    ) -> Fault:
        """Send the headers at once, then the body one byte every ``seconds`` (a server that
        is slow, or hostile, but never silent long enough to trip a per-read timeout). The
        body is the real answer's, or ``body`` (e.g. an event stream that never completes an
        event), sent with ``content_type``. Stops when the client goes away."""
        if seconds <= 0:
            raise ValueError("seconds must be > 0")
        return cls("drip", seconds=seconds, body=body, content_type=content_type)

    @classmethod
    def huge_body(
        cls,
        size: int,
        *,
        status_code: int = 200,
        content_type: str = "application/json",
        gzip: bool = False,
    ) -> Fault:
        """Answer ``status_code`` with ``size`` bytes of JSON whitespace (or, for an event
        stream content type, one line that never ends), generated on the fly so the server
        holds only one chunk; ``gzip`` sends them compressed (a "zip bomb": about a
        thousandth of ``size`` on the wire)."""
        if size < 0:
            raise ValueError("size must be >= 0")
        if not 100 <= status_code <= 599:
            raise ValueError(f"Not an HTTP status code: {status_code}")
        return cls(
            "huge_body", status_code=status_code, size=size, content_type=content_type, gzip=gzip
        )


class FaultQueue:
    """Injected faults per operation id, first in first out; shared by test and server threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Fault]] = {}

    def add(self, operation_id: str, fault: Fault, times: int) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._queues.setdefault(operation_id, deque()).extend([fault] * times)

    def take(self, operation_id: str) -> Fault | None:
        """The fault for this request to ``operation_id``, or None; each fault serves once."""
        with self._lock:
            queue = self._queues.get(operation_id)
            return queue.popleft() if queue else None

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
