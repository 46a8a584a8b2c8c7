"""The reconnect rules of a prediction's event stream, one set for both of its consumers.

``client.predictions.stream`` (predictkit.streaming) and a wait listening to the stream
(predictkit.waiting, predictkit.resources._listening) follow the same server stream, so they
agree here on what a connection that ended means, and on which events are new. No I/O, no
clock: `Resumption` is a value; `RecentIds` and `Connection` are small records a consumer
updates as events arrive.

The end is the terminal event (``done`` or ``error``, TERMINAL_EVENTS): nothing follows it, and
a consumer that saw it stops. After any other end of a connection the consumer reports what it
saw: `Resumption.closed` (the server closed it) or `Resumption.broke` (an error), which answer

- `Reconnect`: open again after ``delay`` seconds, resuming after ``after_id``; with
  ``check_end``, first ask the API whether the prediction has ended.
- `GiveUp`: more than ``max_reconnects`` failed connections in a row.

What counts:

- Resume point: the id of the last event seen; an event without an ``id:`` line keeps the
  previous one (SSE rules).
- New events (`Connection`): an event whose id the stream has already seen (the last
  RECENT_IDS ids, `RecentIds`) is a repeat, neither yielded again nor progress; so is the first
  event of a resumed connection carrying the id resumed after (the server replaying it,
  `is_replay`), but that one alone is tolerated. Ids are opaque: only equality counts, never an
  order. An event without its own ``id:`` line cannot be judged and is new.
- A failure: a connection that broke (an error), or that closed without a new event either
  before ``healthy_after`` seconds or after repeats (a server replaying what was heard, e.g.
  one that ignores ``after_id``). A stream closed after its idle gap with nothing to say is
  healthy (a prediction may be silent for minutes); a new event resets the count of failures
  in a row.
- Back-off after the n-th failure in a row: none for the first clean close, else
  ``backoff_first * 2**(n-1)``, at most ``backoff_max``.

The two consumers differ only in values (`STREAM_RULES`, `WAIT_RULES`, each saying why), and in
what giving up means: the iterator raises StreamError, a wait falls back to polling.
"""

from __future__ import annotations

import attrs

__all__ = [
    "QUIET_BEFORE_CHECK",
    "RECENT_IDS",
    "STREAM_RULES",
    "TERMINAL_EVENTS",
    "WAIT_RULES",
    "Connection",
    "Decision",
    "GiveUp",
    "RecentIds",
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

RECENT_IDS = 1024
"""Event ids a consumer remembers per stream to recognise repeats: bounded memory (at most
1,024 ids of at most streaming.MAX_EVENT_ID characters each) however long the stream runs."""


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
    (``seen`` events before it), carrying the id resumed after. Tolerated: a connection that
    brings only it and then stays open is a quiet one, not a failure."""
    return seen == 0 and bool(event_id) and event_id == resumed_after


class RecentIds:
    """The ids of a stream's most recent events, at most ``limit`` (the oldest forgotten
    first). One per stream, kept by its consumer across connections; no I/O."""

    def __init__(self, *ids: str, limit: int = RECENT_IDS) -> None:
        self._ids: dict[str, None] = {}  # insertion order: the oldest first
        self.limit = limit
        for event_id in ids:
            self.add(event_id)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, event_id: str) -> None:
        """Remember an id (an empty one, no id at all, is not remembered)."""
        if event_id and event_id not in self._ids:
            self._ids[event_id] = None
            if len(self._ids) > self.limit:
                del self._ids[next(iter(self._ids))]


class Connection:
    """One connection's events judged against the stream's `RecentIds`: how many were
    ``new``, and how many ``repeats`` (already seen), for `Resumption.closed`."""

    def __init__(self, resumed_after: str | None, seen: RecentIds) -> None:
        self.resumed_after = resumed_after
        self.seen = seen
        self.new = 0
        self.repeats = 0
        self._events = 0
        self._repeats_in_row = 0

    @property
    def endless(self) -> bool:
        """Whether more repeats in a row came than the stream remembers ids: a server replaying
        on one connection without end (the consumer stops reading it: StreamError)."""
        return self._repeats_in_row > self.seen.limit

    def is_new(self, event_id: str, *, own_id: bool = True) -> bool:
        """Whether an event is new (then remembered). ``own_id``: it came with its own ``id:``
        line; one that inherited the previous event's id (SSE rules) cannot be judged: new."""
        before, self._events = self._events, self._events + 1
        if own_id and is_replay(event_id, self.resumed_after, before):
            return False
        if own_id and event_id in self.seen:
            self.repeats += 1
            self._repeats_in_row += 1
            return False
        if own_id:
            self.seen.add(event_id)
        self.new += 1
        self._repeats_in_row = 0
        return True


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
        self, *, events: int, lasted: float, last_id: str | None = None, repeats: int = 0
    ) -> tuple[Resumption, Decision]:
        """The server closed a connection without the terminal event, after ``events`` new
        events, ``repeats`` events already seen, and ``lasted`` seconds from its response
        headers; ``last_id`` is the last new event's id, if not yet given to `event`."""
        moved = attrs.evolve(self, after_id=last_id or self.after_id)
        if events == 0 and (repeats > 0 or lasted < self.rules.healthy_after):
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
