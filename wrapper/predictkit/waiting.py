"""Waiting for a prediction to end: options, the wait policy (I/O-free), and its drivers.

The policy is a generator that yields steps (fetch, sleep, listen to the event stream, notify,
cancel) and receives their results; `drive` and `adrive` execute the steps with sync or async
I/O. So the sync and async waits are one algorithm, tested once, without sockets.

How a wait spends requests: when the prediction's event stream is available it listens to it,
so the end is seen within milliseconds at the cost of one open connection. A stream that closes
without a terminal event is reopened (``after_id``) without a fetch in between, which would tell
nothing new; the final event's prediction, when the driver can read one from it, saves the
closing fetch too. ``listen_first`` (a wait on an id, nothing in hand) opens the stream before
any fetch. Without a stream it polls on the schedule of predictkit._schedule: every
``poll_interval``, or, once the client has seen the model's run times (``run_times``), sparser
polls aimed to land just after its usual end. Transient failures (connection
errors, 5xx, 429) do not end a wait; a 4xx does, and so does a 429 asking for a longer pause
than a plain call would sleep (MAX_RETRY_AFTER): a wait never sleeps longer on a server's word.
``timeout`` bounds the whole wait: each step carries what is left of it, which cuts every
request's timeouts and retry sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Generator
from contextlib import closing
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import attrs
from predictkit_api.models.prediction_with_details import PredictionWithDetails

from predictkit._checks import positive_seconds
from predictkit._error_map import MAX_RETRY_AFTER
from predictkit._errors import (
    APIConnectionError,
    InvalidInputError,
    InvalidInputTypeError,
    PredictKitError,
    RateLimitError,
    ServerError,
    StreamError,
    WaitTimeoutError,
)
from predictkit._reconnect import WAIT_RULES, Decision, GiveUp, RecentIds, Resumption
from predictkit._schedule import RunTimes, is_overdue, next_poll
from predictkit._sse import DEFAULT_IDLE
from predictkit._types import is_terminal
from predictkit.streaming import is_stream_unavailable

if TYPE_CHECKING:
    from predictkit._prediction import PredictionWithIO

__all__ = [
    "DEFAULT_ASYNC_WAIT_OPTIONS",
    "DEFAULT_WAIT_OPTIONS",
    "AsyncWaitOptions",
    "WaitOptions",
]

P = TypeVar("P", bound=PredictionWithDetails)
S = TypeVar("S")
T = TypeVar("T")

MAX_FAILED_ROUNDS = 10
"""Transient failures in a row (each after the transport's own retries) that end a wait."""
MAX_LISTEN_FAILURES = WAIT_RULES.max_reconnects + 1
"""Failed or empty stream connections in a row before a wait falls back to polling."""
FETCH_GRACE = 0.5
"""Seconds a fetch (or the cancel of cancel_on_timeout) may run past a wait's deadline."""
TRANSIENT = (APIConnectionError, ServerError, RateLimitError)


def _check_options(poll_interval: object, timeout: object, on_poll: object) -> None:
    if not positive_seconds(poll_interval):
        raise InvalidInputError(
            f"poll_interval must be a positive, finite number of seconds, not {poll_interval!r}."
        )
    if timeout is not None and not positive_seconds(timeout):
        raise InvalidInputError(
            f"timeout must be a positive, finite number of seconds or None, not {timeout!r}."
        )
    if on_poll is not None and not callable(on_poll):
        raise InvalidInputTypeError(
            f"on_poll must be a function taking the prediction, not {on_poll!r}."
        )


@attrs.frozen
class _BaseWaitOptions:
    poll_interval: float = 1.0
    """Seconds between polls, when polling; up to twice that before the end a model's recent
    runs make likely (see predictkit._schedule)."""

    def __attrs_post_init__(self) -> None:
        _check_options(
            self.poll_interval, getattr(self, "timeout", None), getattr(self, "on_poll", None)
        )


@attrs.frozen
class WaitOptions(_BaseWaitOptions):
    """How to wait: ``poll_interval`` (longest gap between polls), ``on_poll`` (called with the
    prediction each time its status changes, and with the final one), and ``timeout`` (seconds
    for the whole wait; on expiry WaitTimeoutError carries the last prediction seen)."""

    on_poll: Callable[[PredictionWithIO], None] | None = None
    timeout: float | None = None


@attrs.frozen
class AsyncWaitOptions(_BaseWaitOptions):
    """WaitOptions for async waits: ``on_poll`` returns an awaitable."""

    on_poll: Callable[[PredictionWithIO], Awaitable[None]] | None = None
    timeout: float | None = None


DEFAULT_WAIT_OPTIONS = WaitOptions()
DEFAULT_ASYNC_WAIT_OPTIONS = AsyncWaitOptions()


# Steps the policy asks its driver to perform. Each names the value sent back.
@attrs.frozen
class Fetch:
    """GET the prediction within ``budget`` seconds (retries included) -> the prediction."""

    budget: float | None = None


@attrs.frozen
class Sleep:
    """Sleep -> None."""

    seconds: float


@attrs.frozen
class Listen:
    """Read the event stream after ``after_id`` until a terminal event, the server closes it,
    or ``budget`` seconds pass -> Heard. ``seen``: the ids this wait has heard on the stream
    (updated by the round; an event among them is not new)."""

    after_id: str | None
    idle: float
    budget: float | None
    seen: RecentIds = attrs.field(factory=RecentIds, eq=False, repr=False)


@attrs.frozen
class Heard:
    """What one Listen saw; ``prediction`` is the terminal prediction when the final event
    carried one (the API does not document that it does; None means a fetch is needed);
    ``lasted``, seconds from the response headers to the end (None: the whole step counts);
    ``repeats``, events heard before (not counted in ``events``)."""

    last_id: str | None
    events: int
    terminal: bool
    prediction: Any = None
    lasted: float | None = None
    repeats: int = 0


@attrs.frozen
class Notify(Generic[P]):
    """Call on_poll with the prediction -> None."""

    prediction: P


@attrs.frozen
class Cancel:
    """Ask the API to cancel the prediction, within ``budget`` seconds -> None, or the ended
    prediction when it had already ended (cancel is idempotent)."""

    budget: float | None = None


Step = Fetch | Sleep | Listen | Notify[Any] | Cancel


@attrs.define
class _WaitState:
    """What a wait remembers between steps."""

    listening: bool
    stream: Resumption = attrs.field(factory=lambda: Resumption(WAIT_RULES))
    heard: RecentIds = attrs.field(factory=RecentIds)
    """The ids of the events heard on the stream (the last RECENT_IDS)."""
    overdue: int = 0
    failures: int = 0
    last_error: PredictKitError | None = None
    pause: float | None = None
    """Seconds a 429 asked us to wait before the next request."""

    def poll_delay(
        self,
        poll_interval: float,
        remaining: float | None,
        age: float | None,
        expected: float | None,
    ) -> float:
        """Seconds to the next poll (predictkit._schedule), within what the deadline leaves."""
        delay = next_poll(age, expected, poll_interval, self.overdue)
        self.overdue += is_overdue(age, expected)
        return delay if remaining is None else min(delay, remaining)


def wait_policy(
    first: P | None,
    options: WaitOptions | AsyncWaitOptions,
    *,
    cancel_on_timeout: bool = False,
    started: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    use_stream: bool = True,
    listen_first: bool = False,
    run_times: RunTimes | None = None,
    wall: Callable[[], float] = time.time,
) -> Generator[Step, Any, P]:
    """The wait algorithm, as a generator of steps; returns the terminal prediction.

    ``first`` is a prediction already in hand (from create), saving a request. ``started`` is
    when the caller's deadline began (create counts its own time against ``timeout``; it is also
    when the prediction was created, for the polling schedule). ``listen_first``: with nothing
    in hand, open the event stream before fetching (a 404 falls back to polling). ``run_times``
    learns from the terminal prediction and steers the polling schedule.
    """
    begin = clock() if started is None else started
    deadline = None if options.timeout is None else begin + options.timeout
    state = _WaitState(listening=use_stream)
    current = first
    if current is None and not (use_stream and listen_first):
        current = yield from _fetch(state, _budget(deadline, clock))
    seen_status: str | None = None
    while True:
        if current is not None:
            if current.status != seen_status:
                seen_status = current.status
                yield Notify(current)
            if is_terminal(current.status):
                if run_times is not None:
                    run_times.record(current)
                return current
        remaining = None if deadline is None else deadline - clock()
        if remaining is not None and remaining <= 0:
            timeout = options.timeout or 0.0
            current = yield from _expire(current, state, timeout, cancel_on_timeout, listen_first)
            continue  # it had ended after all: reported and returned above
        if state.pause is not None:
            pause, state.pause = state.pause, None
            yield Sleep(pause if remaining is None else min(pause, remaining))
        elif state.listening and (listen_first if current is None else current.stream is True):
            heard = yield from _listen(state, remaining, clock)
            if heard is not None and heard.terminal and _is_final(heard.prediction):
                current = heard.prediction
                continue  # the final event carried the prediction: no fetch
            if heard is not None and not heard.terminal and state.listening:
                continue  # closed while running (idle): reopen, a fetch would tell nothing new
        else:
            when = _timing(current, run_times, started, clock, wall)
            yield Sleep(state.poll_delay(options.poll_interval, remaining, *when))
        current = (yield from _fetch(state, _budget(deadline, clock))) or current


def _timing(
    current: P | None,
    run_times: RunTimes | None,
    started: float | None,
    clock: Callable[[], float],
    wall: Callable[[], float],
) -> tuple[float | None, float | None]:
    """The prediction's age and its model's expected run time, for the polling schedule
    (age from ``started`` on the monotonic clock when known, else from ``created_at``)."""
    if current is None or run_times is None:
        return None, None
    expected = run_times.expected(current)
    if expected is None:
        return None, None
    age = clock() - started if started is not None else wall() - current.created_at.timestamp()
    return age, expected


def _is_final(prediction: Any) -> bool:
    return isinstance(prediction, PredictionWithDetails) and is_terminal(prediction.status)


def _budget(deadline: float | None, clock: Callable[[], float]) -> float | None:
    """Time a fetch may take: what the deadline leaves, but at least FETCH_GRACE, so the error
    raised at the deadline can carry a fresh state rather than one a poll interval old."""
    return None if deadline is None else max(deadline - clock(), FETCH_GRACE)


def _fetch(state: _WaitState, budget: float | None) -> Generator[Step, Any, Any]:
    """GET the prediction; a transient failure returns None (the wait goes on) until too many."""
    try:
        fetched = yield Fetch(budget)
    except TRANSIENT as exc:
        state.failures += 1
        state.last_error = exc
        if isinstance(exc, RateLimitError) and exc.retry_after:
            if exc.retry_after > MAX_RETRY_AFTER:
                raise  # the same cap as a plain call: never sleep longer than it
            state.pause = exc.retry_after
        if state.failures >= MAX_FAILED_ROUNDS:
            raise
        if state.failures > 1:
            state.listening = False
        return None
    state.failures, state.last_error = 0, None
    return fetched


def _listen(
    state: _WaitState, remaining: float | None, clock: Callable[[], float]
) -> Generator[Step, Any, Heard | None]:
    """One round on the event stream; the stream's reconnect rules (WAIT_RULES) say what a
    round that ended without the terminal event means (one that brought only events heard
    before is a failure, like one that broke). Falls back to polling when the stream is
    unavailable or the rules give up on it. Returns what it heard, or None when the prediction
    should be fetched next (after a failure, or the end without a prediction in it)."""
    began = clock()
    idle = DEFAULT_IDLE if remaining is None else min(DEFAULT_IDLE, remaining)
    try:
        heard: Heard = yield Listen(state.stream.after_id, idle, remaining, state.heard)
    except PredictKitError as exc:
        if is_stream_unavailable(exc) or isinstance(exc, StreamError):
            state.listening = False  # no stream, or one we cannot read (an event not JSON)
            return None
        if not isinstance(exc, TRANSIENT):
            raise
        state.stream, decision = state.stream.broke()
        return _follow(state, decision, None)
    if heard.terminal:
        state.listening = False  # nothing follows the end: from here a fetch, then polls
        return heard
    lasted = clock() - began if heard.lasted is None else heard.lasted
    state.stream, decision = state.stream.closed(
        events=heard.events, lasted=lasted, last_id=heard.last_id, repeats=heard.repeats
    )
    return _follow(state, decision, heard)


def _follow(state: _WaitState, decision: Decision, heard: Heard | None) -> Heard | None:
    """Do what the stream's rules decided: give up (poll from here), check the end (None: a
    fetch follows), or reopen the stream (return what was heard)."""
    state.listening = not isinstance(decision, GiveUp)
    return None if isinstance(decision, GiveUp) or decision.check_end else heard


def _expire(
    current: P | None, state: _WaitState, timeout: float, cancel: bool, refresh: bool
) -> Generator[Step, Any, P]:
    """The deadline passed: optionally cancel, then raise WaitTimeoutError. With ``refresh`` and
    no state in hand (a wait that only listened), fetch one first for the error to carry.
    Returns the prediction instead when it turns out to have ended (the refresh or the cancel
    found it so); the caller reports and returns it."""
    if current is None and refresh:
        current = yield from _fetch(state, FETCH_GRACE)
        if current is not None and is_terminal(current.status):
            return current
    cancelled = False
    if cancel:
        try:
            ended = yield Cancel(FETCH_GRACE)
            if ended is not None:
                return ended  # type: ignore[no-any-return]  # the driver sends back a P
            cancelled = True
        except PredictKitError:
            cancelled = False  # the API cannot be reached, or refused
    cause = state.last_error
    pid = cause.prediction_id if cause is not None else None
    raise WaitTimeoutError(current, timeout, cancelled=cancelled, prediction_id=pid) from cause


class _Driving(Generic[S, T]):
    """What `drive` and `adrive` share: iterated, the generator's steps one at a time; as a
    context manager around a step's execution, that step's outcome. A PredictKitError from a
    step is kept and thrown back into the generator, which decides; anything else, like
    KeyboardInterrupt or a cancelled task, passes through and ends the drive."""

    def __init__(self, policy: Generator[S, Any, T]) -> None:
        self._policy = policy
        self.value: Any = None
        self._error: PredictKitError | None = None
        self.result: T

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> S:
        error, self._error = self._error, None
        try:
            return self._policy.throw(error) if error is not None else self._policy.send(self.value)
        except StopIteration as stop:
            self.result = stop.value
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, PredictKitError):
            self._error = exc
            return True
        return False


def drive(policy: Generator[S, Any, T], execute: Callable[[S], Any]) -> T:
    """Run a step generator with blocking I/O. PredictKitErrors from a step go back into the
    generator (which decides); anything else, like KeyboardInterrupt, ends the wait."""
    run = _Driving(policy)
    with closing(policy):
        for step in run:
            with run:
                run.value = execute(step)
    return run.result


async def adrive(policy: Generator[S, Any, T], execute: Callable[[S], Awaitable[Any]]) -> T:
    """Async twin of `drive`: cancelling the task cancels the wait at its current step."""
    run = _Driving(policy)
    with closing(policy):
        for step in run:
            with run:
                run.value = await execute(step)
    return run.result
