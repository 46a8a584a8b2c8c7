"""Client-side pacing of prediction creates, shared by every thread and task using one Client.

It starts from the documented creation limit, 15 creates per second (WriftAI's rate-limits
page; the docs name no window length and no burst size, so none is assumed: creates are spaced
evenly). Every API response's ``x-ratelimit-*`` headers then steer it: ``remaining`` requests
left in the window that ends at ``reset`` (a Unix time). When what is left, minus the creates
already sent but not yet answered, would run out before the reset, the limiter spreads it over
the time left, or holds every create until the reset. A 429's Retry-After holds them too. So
429s stay rare even when other processes share the account: their requests show up in the
same headers.

`reserve` is pure arithmetic under a lock and returns how long the caller must sleep; the
caller sleeps (blocking or awaiting) and then calls `done` when the create's answer is in.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping

from predictkit._errors import InvalidInputError

DOCUMENTED_CREATE_RATE = 15.0
"""Prediction creations per second the WriftAI docs allow an account."""
MAX_HOLD = 60.0
"""Longest a header or Retry-After may hold creates (a wrong reset must not stall a batch)."""


class CreateRate:
    """Spaces prediction creates; see the module docstring."""

    def __init__(
        self,
        rate: float = DOCUMENTED_CREATE_RATE,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if not rate > 0:
            raise InvalidInputError(
                f"rate must be a positive number of creates per second, not {rate!r}"
            )
        self._base = 1.0 / rate
        self._interval = self._base
        self._clock = clock
        self._wall = wall
        self._lock = threading.Lock()
        self._next = 0.0
        self._held_until = 0.0
        self._in_flight = 0

    @property
    def interval(self) -> float:
        """Seconds between two creates, as currently paced."""
        return self._interval

    def reserve(self) -> float:
        """Claim the next create slot; returns the seconds to sleep before sending it (then
        call `sending`, and `done` once it is answered)."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next, self._held_until)
            self._next = slot + self._interval
            return slot - now

    def sending(self) -> None:
        """A create is on its way: the server will count it, the headers do not show it yet."""
        with self._lock:
            self._in_flight += 1

    def done(self) -> None:
        """A create that was `sending` has its answer (or failed)."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adapt to a response's ``x-ratelimit-remaining`` and ``x-ratelimit-reset``."""
        remaining = _number(headers.get("x-ratelimit-remaining"))
        reset = _number(headers.get("x-ratelimit-reset"))
        if remaining is None or reset is None:
            return
        with self._lock:
            now = self._clock()
            left = min(max(reset - self._wall(), 0.0), MAX_HOLD)
            # The answered request is one of those in flight; the others will count too.
            spare = remaining - max(self._in_flight - 1, 0)
            if spare <= 0:
                self._held_until = max(self._held_until, now + left)
                self._interval = self._base
            else:
                self._interval = max(self._base, left / spare) if left > 0 else self._base

    def hold(self, seconds: float | None) -> None:
        """A 429 asked to wait ``seconds`` (None: until the window resets, one interval)."""
        with self._lock:
            pause = self._interval if seconds is None else min(max(seconds, 0.0), MAX_HOLD)
            self._held_until = max(self._held_until, self._clock() + pause)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
