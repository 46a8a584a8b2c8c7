"""Fixed-window rate limiting and the ``x-ratelimit-*`` numbers every response reports."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` API requests in each window of ``per_seconds`` seconds."""

    requests: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or self.per_seconds <= 0:
            raise ValueError("RateLimit needs requests >= 1 and per_seconds > 0")


# Without a configured limit the headers still describe a window, one no test will exhaust.
UNLIMITED = RateLimit(requests=1_000_000, per_seconds=60.0)


@dataclass(frozen=True)
class WindowState:
    """The numbers for the ``x-ratelimit-*`` headers, and whether this request was over."""

    limit: int
    remaining: int
    reset: float
    allowed: bool

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(math.ceil(self.reset)),
        }


class FixedWindow:
    """Counts requests in fixed windows aligned to wall-clock time; enforced only if ``enforce``."""

    def __init__(self, limit: RateLimit | None) -> None:
        self._limit = limit or UNLIMITED
        self._enforce = limit is not None
        self._lock = threading.Lock()
        self._window_start = 0.0
        self._count = 0

    def _roll(self, now: float) -> None:
        per = self._limit.per_seconds
        start = math.floor(now / per) * per
        if start != self._window_start:
            self._window_start = start
            self._count = 0

    def hit(self, now: float | None = None) -> WindowState:
        """Count one request; ``allowed`` is False once the window is used up."""
        now = time.time() if now is None else now
        with self._lock:
            self._roll(now)
            allowed = not self._enforce or self._count < self._limit.requests
            if allowed:
                self._count += 1
            return self._state(allowed)

    def peek(self, now: float | None = None) -> WindowState:
        """The current numbers without counting a request."""
        now = time.time() if now is None else now
        with self._lock:
            self._roll(now)
            return self._state(True)

    def reset(self) -> None:
        with self._lock:
            self._window_start = 0.0
            self._count = 0

    def _state(self, allowed: bool) -> WindowState:
        return WindowState(
            limit=self._limit.requests,
            remaining=max(0, self._limit.requests - self._count),
            reset=self._window_start + self._limit.per_seconds,
            allowed=allowed,
        )
