"""The polling schedule (predictkit._schedule) and the wait policy's use of it and of the stream:
aligned polls, the fixed loop as the fallback, run-time memory, listen-first, final events."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from predictkit import NotFoundError, PredictionWithIO, ServerError, WaitOptions, WaitTimeoutError
from predictkit._schedule import (
    EXPECTED_MARGIN,
    MAX_MODELS,
    OVERDUE_FIRST,
    RunTimes,
    next_poll,
)
from predictkit.waiting import Heard, Listen, wait_policy

from ._bodies import PID
from .test_wait_policy import Clock, Script, kinds, run, sleeps

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def pred(
    status: str, *, took: float = 0.0, stream: bool | None = None, version: int = 3
) -> PredictionWithIO:
    data: dict[str, Any] = {
        "id": PID,
        "model": {"owner": "acme", "name": "echo", "version_number": version},
        "created_at": T0.isoformat(),
        "status": status,
        "updated_at": (T0 + datetime.timedelta(seconds=took)).isoformat(),
        "setup_time": None,
        "execution_time": None,
        "input": {},
        "output": None,
        "error": None,
    }
    if stream is not None:
        data["stream"] = stream
    return PredictionWithIO.from_dict(data)


def learned(*seconds: float) -> RunTimes:
    times = RunTimes()
    for s in seconds:
        times.record(pred("succeeded", took=s))
    return times


# --- next_poll -----------------------------------------------------------------------------------


def test_without_an_expectation_the_gap_is_poll_interval() -> None:
    assert next_poll(None, None, 1.0, 0) == 1.0
    assert next_poll(3.0, None, 1.0, 0) == 1.0


def test_the_grid_is_shifted_to_land_just_after_the_expected_end() -> None:
    age, polls = 1.0, []
    for _ in range(10):
        gap = next_poll(age, 5.0, 1.0, 0)
        assert 0 < gap <= 2.0 + 0.05  # AHEAD * poll_interval, and a skipped point
        age += gap
        polls.append(age)
        if age >= 5.0:
            break
    assert polls == pytest.approx([3.0 + EXPECTED_MARGIN, 5.0 + EXPECTED_MARGIN])
    # A fixed loop from age 1.0 polls at 2, 3, 4 and 5 to see the end.


def test_past_the_expected_end_gaps_start_short_and_double() -> None:
    gaps = [next_poll(6.0, 5.0, 1.0, n) for n in range(6)]
    assert gaps == [OVERDUE_FIRST, 0.2, 0.4, 0.8, 1.0, 1.0]


@pytest.mark.parametrize("end", [1.3, 2.05, 2.9, 3.5, 4.99])
@pytest.mark.parametrize("hold", [0.0, 0.7, 1.0])
def test_never_more_polls_than_a_fixed_loop_and_the_end_seen_at_once_when_as_expected(
    end: float, hold: float
) -> None:
    """The run ends at ``end`` (its model's usual time); the wait starts after the server's hold."""
    fixed_polls, fixed_seen = 0, hold
    while fixed_seen < end:
        fixed_seen += 1.0
        fixed_polls += 1
    polls, seen = 0, hold
    while seen < end:
        seen += next_poll(seen, end, 1.0, 0)
        polls += 1
    assert polls <= fixed_polls
    assert seen - end <= EXPECTED_MARGIN + 1e-9


# --- RunTimes ------------------------------------------------------------------------------------


def test_run_times_keep_the_median_of_succeeded_runs_per_version() -> None:
    times = learned(2.0, 3.0, 10.0)
    times.record(pred("failed", took=0.1))
    times.record(pred("cancelled", took=0.2))
    assert times.expected(pred("started")) == 3.0
    assert times.expected(pred("started", version=4)) is None


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert learned(2.0, 4.0).expected(pred("started")) == 3.0


def test_run_times_are_bounded() -> None:
    times = RunTimes()
    for version in range(MAX_MODELS + 5):
        times.record(pred("succeeded", took=1.0, version=version))
    assert times.expected(pred("started", version=0)) is None
    assert times.expected(pred("started", version=MAX_MODELS + 4)) == 1.0


# --- the policy ----------------------------------------------------------------------------------


def test_after_the_servers_hold_the_poll_lands_at_the_usual_run_time() -> None:
    clock = Clock()
    script = Script(clock, [pred("succeeded", took=3.0)])
    policy = wait_policy(
        pred("started"),
        WaitOptions(),
        started=clock.now - 1.0,  # created 1 s ago, held by the server until now
        clock=clock,
        run_times=learned(3.0),
    )
    steps, result = run(policy, script)
    assert result.status == "succeeded"
    # One poll, at age 3.03: a 2 s grid ending there would put one at 1.03, just after the
    # hold; that one is skipped.
    assert sleeps(steps) == pytest.approx([2.0 + EXPECTED_MARGIN])


def test_age_comes_from_created_at_without_a_start_time() -> None:
    clock = Clock()
    script = Script(clock, [pred("succeeded", took=3.0)])
    wall = T0.timestamp() + 2.5
    policy = wait_policy(
        pred("started"), WaitOptions(), clock=clock, run_times=learned(3.0), wall=lambda: wall
    )
    steps, _ = run(policy, script)
    assert sleeps(steps) == pytest.approx([0.5 + EXPECTED_MARGIN])


def test_the_terminal_prediction_teaches_the_run_times() -> None:
    clock = Clock()
    times = RunTimes()
    run(wait_policy(pred("started"), WaitOptions(), clock=clock, run_times=times),
        Script(clock, [pred("succeeded", took=4.0)]))  # fmt: skip
    assert times.expected(pred("started")) == 4.0


def test_listen_first_waits_on_the_stream_then_fetches_once() -> None:
    clock = Clock()
    script = Script(clock, [pred("succeeded")], [Heard("e9", 2, True)])
    steps, result = run(wait_policy(None, WaitOptions(), clock=clock, listen_first=True), script)
    assert result.status == "succeeded"
    assert kinds(steps) == ["Listen", "Fetch", "Notify"]
    assert steps[0] == Listen(None, 30.0, None)


def test_listen_first_reopens_an_idle_stream_without_fetching() -> None:
    clock = Clock()
    script = Script(clock, [pred("succeeded")], [Heard(None, 0, False), Heard("e2", 2, True)])
    steps, _ = run(wait_policy(None, WaitOptions(), clock=clock, listen_first=True), script)
    assert kinds(steps) == ["Listen", "Listen", "Fetch", "Notify"]


def test_listen_first_fetches_the_state_for_a_timeout_error() -> None:
    clock = Clock()
    last = pred("started")
    script = Script(clock, [last], [Heard(None, 0, False)], listen_takes=2.0)
    with pytest.raises(WaitTimeoutError) as info:
        run(wait_policy(None, WaitOptions(timeout=1.0), clock=clock, listen_first=True), script)
    assert info.value.prediction is last
    assert kinds(script.steps) == ["Listen", "Fetch"]


def test_after_the_end_was_heard_a_failed_fetch_is_retried_by_polling() -> None:
    clock = Clock()
    script = Script(
        clock,
        [ServerError("busy", status_code=503), pred("succeeded")],
        [Heard("e3", 3, True)],
    )
    steps, result = run(wait_policy(None, WaitOptions(), clock=clock, listen_first=True), script)
    assert result.status == "succeeded"
    assert kinds(steps) == ["Listen", "Fetch", "Sleep", "Fetch", "Notify"]


def test_the_state_fetched_at_the_deadline_is_returned_when_it_has_ended() -> None:
    clock = Clock()
    script = Script(clock, [pred("succeeded")], [Heard(None, 0, False)], listen_takes=2.0)
    steps, result = run(
        wait_policy(None, WaitOptions(timeout=1.0), clock=clock, listen_first=True), script
    )
    assert result.status == "succeeded"
    assert kinds(steps) == ["Listen", "Fetch", "Notify"]


def test_listen_first_without_a_stream_falls_back_to_polling() -> None:
    clock = Clock()
    script = Script(
        clock, [pred("started"), pred("succeeded")], [NotFoundError("none", status_code=404)]
    )
    steps, result = run(wait_policy(None, WaitOptions(), clock=clock, listen_first=True), script)
    assert result.status == "succeeded"
    assert kinds(steps) == ["Listen", "Fetch", "Notify", "Sleep", "Fetch", "Notify"]


def test_a_final_event_carrying_the_prediction_saves_the_fetch() -> None:
    clock = Clock()
    final = pred("succeeded", stream=True)
    script = Script(clock, [], [Heard("e4", 2, True, final)])
    steps, result = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script
    )
    assert result is final
    assert kinds(steps) == ["Notify", "Listen", "Notify"]


@pytest.mark.parametrize("carried", [None, {"status": "succeeded"}, "started"])
def test_a_final_event_without_a_terminal_prediction_is_followed_by_a_fetch(carried: Any) -> None:
    clock = Clock()
    value = pred("started", stream=True) if carried == "started" else carried
    script = Script(clock, [pred("succeeded")], [Heard("e4", 2, True, value)])
    steps, result = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script
    )
    assert result.status == "succeeded"
    assert kinds(steps) == ["Notify", "Listen", "Fetch", "Notify"]
