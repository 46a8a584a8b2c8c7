"""The reconnect rules of a prediction's event stream, one set for both of its consumers.

``client.predictions.stream`` (predictkit.streaming) and a wait listening to the stream
(predictkit.waiting, predictkit.resources._listening) follow the same server stream, so they
agree here on what a connection that ended means. Pure (no I/O, no clock).

The end is the terminal event (``done`` or ``error``, TERMINAL_EVENTS): nothing follows it, and
a consumer that saw it stops. After any other end of a connection the consumer reports what it
saw: `Resumption.closed` (the server closed it) or `Resumption.broke` (an error), which answer

- `Reconnect`: open again after ``delay`` seconds, resuming after ``after_id``; with
  ``check_end``, first ask the API whether the prediction has ended.
- `GiveUp`: more than ``max_reconnects`` failed connections in a row.

What counts:

- Resume point: the id of the last event seen; an event without an ``id:`` line keeps the
  previous one (SSE rules). The first event of a resumed connection carrying the id resumed
  after is the server replaying it (`is_replay`): not new.
- A failure: a connection that broke (an error), or that closed cleanly before
  ``healthy_after`` seconds without a new event. A stream closed after its idle gap with
  nothing to say is healthy (a prediction may be silent for minutes); a new event resets the
  count of failures in a row.
- Back-off after the n-th failure in a row: none for the first clean close, else
  ``backoff_first * 2**(n-1)``, at most ``backoff_max``.

The two consumers differ only in values (`STREAM_RULES`, `WAIT_RULES`, each saying why), and in
what giving up means: the iterator raises StreamError, a wait falls back to polling.
"""

from __future__ import annotations

import attrs

__all__ = [
    "QUIET_BEFORE_CHECK",
    "STREAM_RULES",
    "TERMINAL_EVENTS",
    "WAIT_RULES",
    "Decision",
    "GiveUp",
    "Reconnect",
    "ReconnectRules",
    "Resumption",
    "is_replay",
]

TERMINAL_EVENTS = frozenset({"done", "error"})
"""The events that end a stream: nothing follows them."""

QUIET_BEFORE_CHECK = 3
"""Healthy connections without events in a row, for the iterator, before checking that the
prediction still runs."""


@attrs.frozen
class ReconnectRules:
    """How a consumer treats connections that end without the terminal event."""

    max_reconnects: int
    """Failed connections in a row that are still reconnected; the next one gives up."""
    healthy_after: float = 0.5
    """Seconds from the response headers a clean close without events must have lasted to be
    healthy rather than a failure."""
    backoff_first: float = 0.25
    """Seconds before reconnecting after the first failure (an error); doubled per failure."""
    backoff_max: float = 4.0
    """Longest pause between reconnects."""
    quiet_before_check: int | None = None
    """Healthy connections without events in a row before ``check_end``; None: never."""
    check_after_failure: bool = False
    """Whether every failure is followed by ``check_end``."""


STREAM_RULES = ReconnectRules(max_reconnects=5, quiet_before_check=QUIET_BEFORE_CHECK)
"""``client.predictions.stream``: the stream is its only source, so it tries longest, backing
off; and a user may resume after the terminal event (``after_id``), when nothing more ever
comes, so a few quiet connections in a row are followed by a check that the prediction runs."""

WAIT_RULES = ReconnectRules(max_reconnects=2, backoff_first=0.0, check_after_failure=True)
"""A wait: it can poll instead, so it gives up on the stream sooner; every failure is followed
by a fetch of the prediction (the check, whose own retries are the pause: no back-off); and it
resumes only after events it heard itself, never after the end, so quiet connections need no
check."""


@attrs.frozen
class Reconnect:
    """Open the stream again after ``delay`` seconds, after the event ``after_id``; with
    ``check_end``, first ask the API whether the prediction has ended."""

    delay: float
    after_id: str | None
    check_end: bool = False


@attrs.frozen
class GiveUp:
    """Too many failed connections in a row (``failures``)."""

    failures: int
    after_id: str | None


Decision = Reconnect | GiveUp


def is_replay(event_id: str, resumed_after: str | None, seen: int) -> bool:
    """Whether an event is the one a server may replay on resume: the first of a connection
    (``seen`` new events before it), carrying the id resumed after. Events without an ``id:``
    line inherit the previous id, so a repeated id later on proves nothing."""
    return seen == 0 and bool(event_id) and event_id == resumed_after


@attrs.frozen
class Resumption:
    """Where a consumer stands on a stream: the resume point, failed connections in a row,
    healthy connections without events in a row. Each method returns the next state."""

    rules: ReconnectRules
    after_id: str | None = None
    failures: int = 0
    quiet: int = 0

    def event(self, event_id: str | None) -> Resumption:
        """A new event arrived: it is the resume point (if it has an id) and resets the
        failure count."""
        return attrs.evolve(self, after_id=event_id or self.after_id, failures=0, quiet=0)

    def closed(
        self, *, events: int, lasted: float, last_id: str | None = None
    ) -> tuple[Resumption, Decision]:
        """The server closed a connection without the terminal event, after ``events`` new
        events and ``lasted`` seconds from its response headers; ``last_id`` is the last event
        id it carried, if not yet given to `event`."""
        moved = attrs.evolve(self, after_id=last_id or self.after_id)
        if events == 0 and lasted < self.rules.healthy_after:
            return moved._failed(clean=True)
        quiet = 0 if events > 0 else self.quiet + 1
        limit = self.rules.quiet_before_check
        check = limit is not None and quiet >= limit
        state = attrs.evolve(moved, failures=0, quiet=0 if check else quiet)
        return state, Reconnect(0.0, state.after_id, check_end=check)

    def broke(self) -> tuple[Resumption, Decision]:
        """A connection failed with an error before its end: always a failure."""
        return self._failed(clean=False)

    def _failed(self, *, clean: bool) -> tuple[Resumption, Decision]:
        rules, failures = self.rules, self.failures + 1
        state = attrs.evolve(self, failures=failures)
        if failures > rules.max_reconnects:
            return state, GiveUp(failures, self.after_id)
        backoff = min(rules.backoff_first * 2 ** (failures - 1), rules.backoff_max)
        delay = 0.0 if clean and failures == 1 else backoff
        return state, Reconnect(delay, self.after_id, check_end=rules.check_after_failure)
