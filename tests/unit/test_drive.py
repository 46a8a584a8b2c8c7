"""The wait through the real drivers, `drive` and `adrive`, with a fake clock.

test_wait_policy.py steps the policy with its own loop; here the same algorithm runs through the
drivers the client uses, so a driver that swallowed errors, lost values or leaked the generator
would fail, and so would a policy that stopped spending its budgets as documented.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any

import pytest
from predictkit import (
    APIConnectionError,
    NotFoundError,
    PredictionWithIO,
    PredictKitError,
    RateLimitError,
    ServerError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit.waiting import (
    FETCH_GRACE,
    MAX_LISTEN_FAILURES,
    Cancel,
    Fetch,
    Heard,
    Listen,
    Sleep,
    Step,
    adrive,
    drive,
    wait_policy,
)

from .test_wait_policy import Clock, Script, kinds, pred, sleeps

MAX_STEPS = 1000
Driver = Callable[[Generator[Step, Any, Any], Callable[[Step], Any]], Any]


def bounded(execute: Callable[[Step], Any]) -> Callable[[Step], Any]:
    """``execute`` that fails the test (AssertionError ends any drive) after MAX_STEPS steps."""
    count = 0

    def run(step: Step) -> Any:
        nonlocal count
        count += 1
        assert count <= MAX_STEPS, "the wait did not end"
        return execute(step)

    return run


async def run_async(policy: Generator[Step, Any, Any], execute: Callable[[Step], Any]) -> Any:
    async def aexecute(step: Step) -> Any:
        return execute(step)

    return await adrive(policy, aexecute)


async def run_sync(policy: Generator[Step, Any, Any], execute: Callable[[Step], Any]) -> Any:
    return drive(policy, execute)


DRIVERS: list[Callable[..., Awaitable[Any]]] = [run_sync, run_async]
DRIVER_IDS = ["drive", "adrive"]


with_drivers = pytest.mark.parametrize("run", DRIVERS, ids=DRIVER_IDS)


# --- the drivers --------------------------------------------------------------------------------


@with_drivers
async def test_step_results_are_sent_back_in_order(run: Callable[..., Awaitable[Any]]) -> None:
    def policy() -> Generator[Step, Any, tuple[Any, Any]]:
        first = yield Fetch()
        second = yield Sleep(1.0)
        return first, second

    answers = iter(["fetched", "slept"])
    assert await run(policy(), bounded(lambda step: next(answers))) == ("fetched", "slept")


@with_drivers
async def test_a_step_error_is_thrown_into_the_policy_which_decides(
    run: Callable[..., Awaitable[Any]],
) -> None:
    error = NotFoundError("gone", status_code=404)
    caught: list[BaseException] = []

    def policy() -> Generator[Step, Any, Any]:
        try:
            yield Fetch()
        except NotFoundError as exc:
            caught.append(exc)
        after = yield Sleep(1.0)  # the error is cleared: this step gets its own result
        return after

    def execute(step: Step) -> Any:
        if isinstance(step, Fetch):
            raise error
        return "slept"

    assert await run(policy(), bounded(execute)) == "slept"
    assert caught == [error]


@with_drivers
async def test_a_step_error_the_policy_does_not_catch_ends_the_drive(
    run: Callable[..., Awaitable[Any]],
) -> None:
    error = ServerError("down", status_code=503)
    finished: list[str] = []

    def policy() -> Generator[Step, Any, Any]:
        try:
            yield Fetch()
            return "swallowed"
        finally:
            finished.append("closed")

    def execute(step: Step) -> Any:
        raise error

    with pytest.raises(ServerError) as info:
        await run(policy(), bounded(execute))
    assert info.value is error
    assert finished == ["closed"]


@with_drivers
async def test_other_exceptions_end_the_drive_and_close_the_policy(
    run: Callable[..., Awaitable[Any]],
) -> None:
    finished: list[str] = []

    def policy() -> Generator[Step, Any, Any]:
        try:
            while True:
                yield Fetch()
        finally:
            finished.append("closed")

    def execute(step: Step) -> Any:
        raise KeyError("not a PredictKitError")

    with pytest.raises(KeyError):
        await run(policy(), bounded(execute))
    assert finished == ["closed"]


# --- the wait's budgets -------------------------------------------------------------------------


@with_drivers
async def test_fetch_budget_is_the_time_left_but_never_below_the_grace(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True)
    with pytest.raises(WaitTimeoutError):
        await run(
            wait_policy(None, WaitOptions(timeout=1.0, poll_interval=0.4), clock=clock),
            bounded(script),
        )
    budgets = [s.budget for s in script.steps if isinstance(s, Fetch)]
    assert budgets[0] == 1.0  # the first fetch, before any time passed
    assert budgets[1] == pytest.approx(1.0 - 0.01 - 0.4)  # after one fetch and one poll sleep
    assert budgets[2] == FETCH_GRACE  # 0.18 s left: raised to the grace
    assert budgets[-1] == FETCH_GRACE == 0.5  # at the deadline: the grace, not zero
    assert all(b is not None and b >= FETCH_GRACE for b in budgets)


@with_drivers
async def test_without_a_timeout_fetches_have_no_budget(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    script = Script(clock, [pred("started"), pred("started"), pred("succeeded")])
    await run(wait_policy(None, WaitOptions(), clock=clock), bounded(script))
    assert [s.budget for s in script.steps if isinstance(s, Fetch)] == [None, None, None]


@with_drivers
async def test_the_cancel_at_the_deadline_gets_the_grace(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True)
    with pytest.raises(WaitTimeoutError) as info:
        await run(
            wait_policy(
                pred("started"), WaitOptions(timeout=1.0), cancel_on_timeout=True, clock=clock
            ),
            bounded(script),
        )
    assert info.value.cancelled is True
    assert [s for s in script.steps if isinstance(s, Cancel)] == [Cancel(FETCH_GRACE)]


@with_drivers
async def test_a_timeout_error_reports_the_wait_timeout(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True)
    with pytest.raises(WaitTimeoutError) as info:
        await run(wait_policy(None, WaitOptions(timeout=0.25), clock=clock), bounded(script))
    assert info.value.timeout == 0.25


# --- a 429's pause ------------------------------------------------------------------------------


def rate_limited(retry_after: float | None) -> RateLimitError:
    return RateLimitError("slow down", status_code=429, retry_after=retry_after)


@with_drivers
async def test_a_429_pauses_the_wait_as_long_as_it_asks_once(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    script = Script(clock, [rate_limited(7.0), pred("started"), pred("succeeded")])
    await run(wait_policy(pred("started"), WaitOptions(), clock=clock), bounded(script))
    # poll, 429 -> pause 7 s instead of a poll delay, then polling goes on where it was
    assert sleeps(script.steps) == [1.0, 7.0, 1.0]


@with_drivers
async def test_a_429_pause_is_cut_to_the_time_left(run: Callable[..., Awaitable[Any]]) -> None:
    clock = Clock()
    script = Script(clock, [rate_limited(30.0)], repeat_last=True)
    script.fetches.insert(0, rate_limited(30.0))
    with pytest.raises(WaitTimeoutError):
        await run(
            wait_policy(pred("started"), WaitOptions(timeout=2.0), clock=clock),
            bounded(script),
        )
    assert sleeps(script.steps)[:2] == [1.0, pytest.approx(2.0 - 1.0 - 0.01)]


@with_drivers
async def test_a_429_without_retry_after_polls_as_usual(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    script = Script(clock, [rate_limited(None), pred("succeeded")])
    await run(wait_policy(pred("started"), WaitOptions(), clock=clock), bounded(script))
    assert sleeps(script.steps) == [1.0, 1.0]


# --- stream to polling --------------------------------------------------------------------------


def streaming() -> PredictionWithIO:
    return pred("started", stream=True)


def heard(n: int) -> Heard:
    return Heard(last_id=str(n), events=1, terminal=False)


@with_drivers
async def test_two_transient_failures_in_a_row_switch_from_the_stream_to_polling(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    fetches: list[PredictionWithIO | PredictKitError] = [
        ServerError("x", status_code=502),
        APIConnectionError("y"),
        pred("succeeded"),
    ]
    # A fetch follows a listen only when the listen failed; two listen failures stay below
    # MAX_LISTEN_FAILURES, so the switch to polling is the two failed fetches'.
    dropped: list[Heard | PredictKitError] = [APIConnectionError("a"), APIConnectionError("b")]
    assert len(dropped) < MAX_LISTEN_FAILURES
    script = Script(clock, fetches, dropped)
    first = pred("started", stream=True)
    await run(wait_policy(first, WaitOptions(), clock=clock), bounded(script))
    assert kinds(script.steps) == [
        "Notify", "Listen", "Fetch", "Listen", "Fetch", "Sleep", "Fetch", "Notify",
    ]  # fmt: skip


@with_drivers
async def test_one_transient_failure_keeps_listening(run: Callable[..., Awaitable[Any]]) -> None:
    clock = Clock()
    fetches: list[PredictionWithIO | PredictKitError] = [
        ServerError("x", status_code=502),
        pred("succeeded"),
    ]
    # A lively listen is reopened without a fetch; the failed one is followed by a fetch, which
    # fails once: the wait goes back to the stream, after the last event it heard.
    ended = Heard(last_id="3", events=1, terminal=True)
    script = Script(clock, fetches, [heard(1), APIConnectionError("drop"), heard(2), ended])
    await run(wait_policy(streaming(), WaitOptions(), clock=clock), bounded(script))
    assert kinds(script.steps) == [
        "Notify", "Listen", "Listen", "Fetch", "Listen", "Listen", "Fetch", "Notify",
    ]  # fmt: skip
    listens = [s for s in script.steps if isinstance(s, Listen)]
    assert [s.after_id for s in listens] == [None, "1", "1", "2"]


@with_drivers
async def test_a_stream_that_ended_while_the_status_lags_switches_to_polling_for_good(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    fetches = [pred("started", stream=True), pred("started", stream=True), pred("succeeded")]
    ended = Heard(last_id="9", events=1, terminal=True)
    script = Script(clock, fetches, [ended])
    await run(wait_policy(streaming(), WaitOptions(), clock=clock), bounded(script))
    assert kinds(script.steps) == [
        "Notify", "Listen", "Fetch", "Sleep", "Fetch", "Sleep", "Fetch", "Notify",
    ]  # fmt: skip


@with_drivers
async def test_a_stream_that_is_gone_switches_to_polling(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    fetches = [pred("started", stream=True), pred("started", stream=True), pred("succeeded")]
    script = Script(clock, fetches, [NotFoundError("no stream", status_code=404)])
    await run(wait_policy(streaming(), WaitOptions(), clock=clock), bounded(script))
    assert kinds(script.steps) == [
        "Notify", "Listen", "Fetch", "Sleep", "Fetch", "Sleep", "Fetch", "Notify",
    ]  # fmt: skip


@with_drivers
async def test_a_quiet_listen_counts_as_failed_and_a_lively_one_resets_the_count(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    quiet = Heard(last_id=None, events=0, terminal=False)
    # Never three quiet listens in a row, so it keeps listening to the end.
    # Each quiet listen is followed by a fetch; the lively one is reopened without one.
    ended = Heard(last_id="2", events=1, terminal=True)
    listens = [quiet, quiet, heard(1), quiet, quiet, ended]
    fetches = [pred("started", stream=True) for _ in range(4)] + [pred("succeeded")]
    script = Script(clock, fetches, listens, listen_takes=0.1)
    await run(wait_policy(streaming(), WaitOptions(), clock=clock), bounded(script))
    assert kinds(script.steps).count("Listen") == 6
    assert kinds(script.steps).count("Fetch") == 5
    assert "Sleep" not in kinds(script.steps)


@with_drivers
async def test_a_listen_lasting_exactly_half_a_second_is_not_quiet(
    run: Callable[..., Awaitable[Any]],
) -> None:
    clock = Clock()
    empty = Heard(last_id=None, events=0, terminal=False)
    ended = Heard(last_id="1", events=1, terminal=True)
    script = Script(clock, [pred("succeeded")], [empty] * 4 + [ended], listen_takes=0.5)
    await run(wait_policy(streaming(), WaitOptions(), clock=clock), bounded(script))
    # Not quiet: each is reopened at once, no fetch between (a quiet one is followed by a fetch,
    # and MAX_LISTEN_FAILURES quiet ones in a row switch to polling).
    assert kinds(script.steps) == ["Notify"] + ["Listen"] * 5 + ["Fetch", "Notify"]
