"""A wait at its limits, through the real drivers (`drive`, `adrive`) with a fake clock: a run
that outlasts its model's usual time, a 429 asking for exactly the longest pause a plain call
takes, and a deadline reached by a wait that has only listened so far."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any

import pytest
from predictkit import (
    PredictionWithIO,
    PredictKitError,
    RateLimitError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit._error_map import MAX_RETRY_AFTER
from predictkit._schedule import EXPECTED_MARGIN, OVERDUE_FIRST
from predictkit.waiting import FETCH_GRACE, Fetch, Heard, Step, wait_policy

from .test_drive import bounded, with_drivers
from .test_wait_policy import Clock, Script, kinds, sleeps
from .test_wait_schedule import learned, pred

Run = Callable[..., Awaitable[Any]]


@with_drivers
async def test_a_run_past_its_usual_time_is_polled_ever_less_eagerly(run: Run) -> None:
    """One poll lands just after the expected end (3 s); the run is still going, so the next
    come OVERDUE_FIRST apart, then twice that each time, up to poll_interval."""
    clock = Clock()
    still: list[PredictionWithIO | PredictKitError] = [pred("started")] * 7
    script = Script(clock, [*still, pred("succeeded", took=9.0)])
    policy = wait_policy(
        pred("started"), WaitOptions(), started=clock.now, clock=clock, run_times=learned(3.0)
    )
    assert (await run(policy, bounded(script))).status == "succeeded"
    waits = sleeps(script.steps)
    assert sum(waits[:2]) == pytest.approx(3.0 + EXPECTED_MARGIN, abs=0.02)  # 2 s grid, aligned
    assert waits[2:] == pytest.approx(
        [OVERDUE_FIRST, 2 * OVERDUE_FIRST, 4 * OVERDUE_FIRST, 8 * OVERDUE_FIRST, 1.0, 1.0]
    )


@with_drivers
async def test_a_429_asking_for_the_longest_pause_a_call_takes_pauses_the_wait(
    run: Run,
) -> None:
    clock = Clock()
    asked = RateLimitError("slow down", status_code=429, retry_after=MAX_RETRY_AFTER)
    script = Script(clock, [asked, pred("succeeded")])
    result = await run(wait_policy(pred("started"), WaitOptions(), clock=clock), bounded(script))
    assert result.status == "succeeded"
    assert sleeps(script.steps) == [1.0, MAX_RETRY_AFTER]


@with_drivers
async def test_a_429_asking_for_longer_ends_the_wait(run: Run) -> None:
    clock = Clock()
    asked = RateLimitError("slow down", status_code=429, retry_after=MAX_RETRY_AFTER + 1)
    script = Script(clock, [asked, pred("succeeded")])
    with pytest.raises(RateLimitError) as info:
        await run(wait_policy(pred("started"), WaitOptions(), clock=clock), bounded(script))
    assert info.value is asked
    assert sleeps(script.steps) == [1.0]


@with_drivers
async def test_a_wait_that_only_listened_fetches_its_state_within_the_grace_at_the_deadline(
    run: Run,
) -> None:
    clock = Clock()
    quiet = Heard(last_id=None, events=0, terminal=False)  # healthy: it lasted the whole second
    script = Script(clock, [pred("started")], [quiet, quiet], listen_takes=1.0)
    policy: Generator[Step, Any, PredictionWithIO] = wait_policy(
        None, WaitOptions(timeout=1.5), clock=clock, listen_first=True
    )
    with pytest.raises(WaitTimeoutError) as info:
        await run(policy, bounded(script))
    assert kinds(script.steps) == ["Listen", "Listen", "Fetch"]  # then the error, with it
    assert script.steps[2] == Fetch(FETCH_GRACE)
    assert info.value.prediction is not None
    assert info.value.prediction.status == "started"
