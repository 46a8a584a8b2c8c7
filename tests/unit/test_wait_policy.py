"""The wait policy driven by hand: a fake clock, scripted results, errors thrown in."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

import pytest
from predictkit import (
    APIConnectionError,
    ConflictError,
    NotFoundError,
    PredictionWithIO,
    PredictKitError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    StreamError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit._sse import DEFAULT_IDLE
from predictkit.waiting import (
    MAX_FAILED_ROUNDS,
    MAX_LISTEN_FAILURES,
    Cancel,
    Fetch,
    Heard,
    Listen,
    Notify,
    Sleep,
    Step,
    adrive,
    drive,
    wait_policy,
)

from ._bodies import PID, prediction_body

MAX_STEPS = 1000


def pred(status: str, *, stream: bool | None = None, output: Any = None) -> PredictionWithIO:
    extra: dict[str, Any] = {} if stream is None else {"stream": stream}
    return PredictionWithIO.from_dict(prediction_body(status, output=output, **extra))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


Handler = Callable[[Step], Any]


def run(policy: Generator[Step, Any, Any], handle: Handler) -> tuple[list[Step], Any]:
    """Drive ``policy`` like `drive` does, but bounded, recording every step."""
    steps: list[Step] = []
    value: Any = None
    error: PredictKitError | None = None
    for _ in range(MAX_STEPS):
        try:
            step = policy.throw(error) if error is not None else policy.send(value)
        except StopIteration as stop:
            return steps, stop.value
        steps.append(step)
        try:
            value, error = handle(step), None
        except PredictKitError as exc:
            value, error = None, exc
    raise AssertionError(f"the policy did not finish within {MAX_STEPS} steps")


class Script:
    """Answers Fetch from a list of predictions/errors; advances the clock on Sleep."""

    def __init__(
        self,
        clock: Clock,
        fetches: Sequence[PredictionWithIO | PredictKitError],
        listens: Sequence[Heard | PredictKitError] | None = None,
        *,
        repeat_last: bool = False,
        listen_takes: float = 1.0,
        cancel: PredictKitError | None = None,
    ) -> None:
        self.clock = clock
        self.fetches: list[PredictionWithIO | PredictKitError] = list(fetches)
        self.listens: list[Heard | PredictKitError] = list(listens or [])
        self.repeat_last = repeat_last
        self.listen_takes = listen_takes
        self.cancel_error = cancel
        self.notified: list[str] = []
        self.steps: list[Step] = []

    def __call__(self, step: Step) -> Any:
        self.steps.append(step)
        if isinstance(step, Sleep):
            assert step.seconds >= 0
            self.clock.now += step.seconds
            return None
        if isinstance(step, Notify):
            self.notified.append(step.prediction.status)
            return None
        if isinstance(step, Cancel):
            if self.cancel_error is not None:
                raise self.cancel_error
            return None
        outcome: PredictionWithIO | Heard | PredictKitError
        if isinstance(step, Fetch):
            self.clock.now += 0.01
            outcome = (
                self.fetches[0]
                if self.repeat_last and len(self.fetches) == 1
                else self.fetches.pop(0)
            )
        else:
            assert isinstance(step, Listen)
            self.clock.now += self.listen_takes
            outcome = self.listens.pop(0)
        if isinstance(outcome, PredictKitError):
            raise outcome
        return outcome


def sleeps(steps: list[Step]) -> list[float]:
    return [s.seconds for s in steps if isinstance(s, Sleep)]


def kinds(steps: list[Step]) -> list[str]:
    return [type(s).__name__ for s in steps]


def test_notifies_on_each_status_change_only_and_returns_the_terminal_prediction() -> None:
    clock = Clock()
    final = pred("succeeded", output=["hi"])
    script = Script(
        clock,
        [
            pred("pending"),
            pred("pending"),
            pred("starting"),
            pred("starting"),
            pred("started"),
            final,
        ],
    )
    steps, result = run(wait_policy(None, WaitOptions(), clock=clock), script)
    assert result is final
    assert script.notified == ["pending", "starting", "started", "succeeded"]
    assert kinds(steps)[:4] == ["Fetch", "Notify", "Sleep", "Fetch"]
    notified = [s.prediction for s in steps if isinstance(s, Notify)]
    assert notified[-1] is final


def test_first_prediction_in_hand_saves_a_fetch() -> None:
    clock = Clock()
    first = pred("starting")
    script = Script(clock, [pred("succeeded")])
    steps, result = run(wait_policy(first, WaitOptions(), clock=clock), script)
    assert kinds(steps) == ["Notify", "Sleep", "Fetch", "Notify"]
    assert result.status == "succeeded"


@pytest.mark.parametrize("status", ["succeeded", "failed", "cancelled", "abandoned"])
def test_terminal_first_prediction_returns_at_once(status: str) -> None:
    first = pred(status)
    steps, result = run(wait_policy(first, WaitOptions(), clock=Clock()), Script(Clock(), []))
    assert result is first
    assert kinds(steps) == ["Notify"]


def test_without_run_times_polls_are_poll_interval_apart_like_a_fixed_loop() -> None:
    clock = Clock()
    fetches: list[PredictionWithIO | PredictKitError] = [pred("started") for _ in range(8)]
    fetches.append(pred("succeeded"))
    steps, _ = run(
        wait_policy(pred("started"), WaitOptions(poll_interval=1.0), clock=clock),
        Script(clock, fetches),
    )
    assert sleeps(steps) == [1.0] * 9


def test_small_poll_interval_caps_from_the_start() -> None:
    clock = Clock()
    fetches: list[PredictionWithIO | PredictKitError] = [
        pred("started"),
        pred("started"),
        pred("succeeded"),
    ]
    steps, _ = run(
        wait_policy(pred("started"), WaitOptions(poll_interval=0.02), clock=clock),
        Script(clock, fetches),
    )
    assert sleeps(steps) == [0.02, 0.02, 0.02]


def test_unknown_status_is_not_terminal() -> None:
    clock = Clock()
    script = Script(clock, [pred("queued"), pred("queued"), pred("succeeded")])
    steps, result = run(wait_policy(None, WaitOptions(), clock=clock), script)
    assert result.status == "succeeded"
    assert script.notified == ["queued", "succeeded"]
    assert kinds(steps).count("Fetch") == 3


# --- timeout -------------------------------------------------------------------------------------


def test_timeout_raises_with_the_last_prediction() -> None:
    clock = Clock()
    last = pred("started")
    script = Script(clock, [last], repeat_last=True)
    with pytest.raises(WaitTimeoutError) as info:
        run(wait_policy(pred("starting"), WaitOptions(timeout=2.0), clock=clock), script)
    err = info.value
    assert err.prediction is last
    assert err.prediction_id == PID
    assert err.timeout == 2.0
    assert err.cancelled is False
    assert isinstance(err, TimeoutError)
    assert "did not finish within 2s" in str(err)
    assert "still running" in str(err)
    assert not any(isinstance(s, Cancel) for s in script.steps)
    # Sleeps never overshoot the deadline: together they end exactly at it (fetch time aside).
    assert clock.now >= 1002.0
    assert all(s <= 1.0 for s in sleeps(script.steps))


def test_sleep_is_capped_by_the_time_left() -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True)
    with pytest.raises(WaitTimeoutError):
        run(
            wait_policy(pred("started"), WaitOptions(poll_interval=10.0, timeout=0.5), clock=clock),
            script,
        )
    delays = sleeps(script.steps)
    assert delays[0] == pytest.approx(0.5)
    assert sum(delays) + 0.01 * len(delays) == pytest.approx(0.5, abs=0.02)


def test_started_counts_time_already_spent() -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True)
    with pytest.raises(WaitTimeoutError):
        run(
            wait_policy(
                pred("started"), WaitOptions(timeout=5.0), started=clock.now - 5.0, clock=clock
            ),
            script,
        )
    assert kinds(script.steps) == ["Notify"]


def test_timeout_cancels_first_when_asked() -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True)
    with pytest.raises(WaitTimeoutError) as info:
        run(
            wait_policy(
                pred("started"), WaitOptions(timeout=1.0), cancel_on_timeout=True, clock=clock
            ),
            script,
        )
    assert info.value.cancelled is True
    assert "cancel requested" in str(info.value)
    assert isinstance(script.steps[-1], Cancel)
    assert kinds(script.steps).count("Cancel") == 1


@pytest.mark.parametrize(
    "error", [ConflictError("ended", status_code=409), APIConnectionError("down")]
)
def test_cancel_failure_reports_not_cancelled(error: PredictKitError) -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True, cancel=error)
    with pytest.raises(WaitTimeoutError) as info:
        run(
            wait_policy(
                pred("started"), WaitOptions(timeout=1.0), cancel_on_timeout=True, clock=clock
            ),
            script,
        )
    assert info.value.cancelled is False
    assert kinds(script.steps)[-1] == "Cancel"


def test_timeout_with_no_prediction_ever_seen_is_a_wait_timeout_naming_the_id() -> None:
    clock = Clock()
    last = APIConnectionError("still down", prediction_id=PID)
    script = Script(clock, [APIConnectionError("down"), last], repeat_last=True)
    with pytest.raises(WaitTimeoutError) as info:
        run(wait_policy(None, WaitOptions(timeout=0.1), clock=clock), script)
    assert info.value.prediction is None
    assert info.value.prediction_id == PID
    assert info.value.__cause__ is last
    assert "could not be fetched" in str(info.value)


# --- transient and fatal errors ------------------------------------------------------------------

TRANSIENTS: list[Callable[[], PredictKitError]] = [
    lambda: APIConnectionError("down"),
    lambda: ServerError("boom", status_code=503),
    lambda: RateLimitError("slow", status_code=429, retry_after=1.0),
]


@pytest.mark.parametrize("make", TRANSIENTS, ids=["connection", "server", "ratelimit"])
def test_transient_errors_do_not_end_the_wait(make: Callable[[], PredictKitError]) -> None:
    clock = Clock()
    script = Script(clock, [make(), pred("started"), make(), make(), pred("succeeded")])
    steps, result = run(wait_policy(None, WaitOptions(), clock=clock), script)
    assert result.status == "succeeded"
    assert kinds(steps).count("Fetch") == 5
    assert script.notified == ["started", "succeeded"]


@pytest.mark.parametrize("make", TRANSIENTS, ids=["connection", "server", "ratelimit"])
def test_too_many_failed_rounds_in_a_row_end_the_wait(make: Callable[[], PredictKitError]) -> None:
    clock = Clock()
    errors = [make() for _ in range(MAX_FAILED_ROUNDS)]
    script = Script(clock, errors)
    with pytest.raises(type(errors[-1])) as info:
        run(wait_policy(pred("started"), WaitOptions(), clock=clock), script)
    assert info.value is errors[-1]
    assert kinds(script.steps).count("Fetch") == MAX_FAILED_ROUNDS


def test_a_success_resets_the_failure_count() -> None:
    clock = Clock()
    fetches: list[PredictionWithIO | PredictKitError] = []
    fetches += [ServerError("x", status_code=500) for _ in range(MAX_FAILED_ROUNDS - 1)]
    fetches.append(pred("started"))
    fetches += [ServerError("x", status_code=500) for _ in range(MAX_FAILED_ROUNDS - 1)]
    fetches.append(pred("succeeded"))
    steps, result = run(
        wait_policy(pred("started"), WaitOptions(), clock=clock), Script(clock, fetches)
    )
    assert result.status == "succeeded"
    assert kinds(steps).count("Fetch") == 2 * MAX_FAILED_ROUNDS


@pytest.mark.parametrize(
    "error",
    [NotFoundError("gone", status_code=404), ConflictError("x", status_code=409), StreamError("x")],
)
def test_non_transient_error_ends_the_wait(error: PredictKitError) -> None:
    clock = Clock()
    script = Script(clock, [pred("started"), error])
    with pytest.raises(type(error)) as info:
        run(wait_policy(None, WaitOptions(), clock=clock), script)
    assert info.value is error
    assert kinds(script.steps).count("Fetch") == 2


# --- listening to the stream ---------------------------------------------------------------------


def test_stream_capable_prediction_is_listened_to_with_after_id_carried() -> None:
    clock = Clock()
    script = Script(
        clock,
        [pred("succeeded", stream=True)],
        [Heard("e3", 3, False), Heard("e5", 2, True)],
    )
    steps, result = run(
        wait_policy(pred("starting", stream=True), WaitOptions(), clock=clock), script
    )
    assert result.status == "succeeded"
    listens = [s for s in steps if isinstance(s, Listen)]
    assert listens == [Listen(None, DEFAULT_IDLE, None), Listen("e3", DEFAULT_IDLE, None)]
    assert sleeps(steps) == []
    # A stream that closed while the prediction ran is reopened without a fetch in between.
    assert kinds(steps) == ["Notify", "Listen", "Listen", "Fetch", "Notify"]


def test_listen_budget_follows_the_deadline() -> None:
    clock = Clock()
    script = Script(clock, [pred("succeeded")], [Heard("e1", 1, True)])
    steps, _ = run(
        wait_policy(pred("started", stream=True), WaitOptions(timeout=10.0), clock=clock), script
    )
    listen = next(s for s in steps if isinstance(s, Listen))
    assert listen.budget == pytest.approx(10.0)
    assert listen.idle == pytest.approx(10.0)


def test_after_id_kept_when_a_listen_hears_nothing_new() -> None:
    clock = Clock()
    script = Script(
        clock,
        [pred("started", stream=True)] * 2 + [pred("succeeded")],
        [Heard("e7", 1, False), Heard(None, 0, False), Heard("e8", 1, True)],
        listen_takes=5.0,
    )
    steps, _ = run(wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script)
    assert [s.after_id for s in steps if isinstance(s, Listen)] == [None, "e7", "e7"]


def test_not_found_on_listen_falls_back_to_polling() -> None:
    clock = Clock()
    script = Script(
        clock,
        [pred("started", stream=True), pred("started", stream=True), pred("succeeded")],
        [NotFoundError("no stream", status_code=404)],
    )
    steps, result = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script
    )
    assert result.status == "succeeded"
    assert kinds(steps) == [
        "Notify",
        "Listen",
        "Fetch",
        "Sleep",
        "Fetch",
        "Sleep",
        "Fetch",
        "Notify",
    ]
    assert sleeps(steps) == [1.0, 1.0]


def test_repeated_quiet_listens_fall_back_to_polling() -> None:
    clock = Clock()
    quiet = [Heard(None, 0, False) for _ in range(MAX_LISTEN_FAILURES)]
    fetches: list[PredictionWithIO | PredictKitError] = [
        pred("started", stream=True)
    ] * MAX_LISTEN_FAILURES
    fetches += [pred("succeeded")]
    script = Script(clock, fetches, list(quiet), listen_takes=0.0)
    steps, result = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script
    )
    assert result.status == "succeeded"
    assert kinds(steps).count("Listen") == MAX_LISTEN_FAILURES
    assert kinds(steps)[-3:] == ["Sleep", "Fetch", "Notify"]


def test_slow_empty_listens_do_not_count_as_failures() -> None:
    clock = Clock()
    n = MAX_LISTEN_FAILURES + 2
    listens: list[Heard | PredictKitError] = [Heard(None, 0, False) for _ in range(n)]
    listens.append(Heard("e1", 1, True))
    script = Script(clock, [pred("succeeded")], listens, listen_takes=DEFAULT_IDLE)
    steps, _ = run(wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script)
    assert kinds(steps).count("Listen") == n + 1
    assert kinds(steps).count("Fetch") == 1
    assert "Sleep" not in kinds(steps)


def test_transient_listen_failures_fall_back_to_polling() -> None:
    clock = Clock()
    fetches: list[PredictionWithIO | PredictKitError] = [
        pred("started", stream=True)
    ] * MAX_LISTEN_FAILURES
    fetches += [pred("succeeded")]
    listens: list[Heard | PredictKitError] = [
        APIConnectionError("drop") for _ in range(MAX_LISTEN_FAILURES)
    ]
    steps, _ = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock),
        Script(clock, fetches, listens),
    )
    assert kinds(steps).count("Listen") == MAX_LISTEN_FAILURES
    assert "Sleep" in kinds(steps)


def test_fatal_error_on_listen_ends_the_wait() -> None:
    clock = Clock()
    error = ResponseParseError("garbled")  # a StreamError (an event not JSON) falls back instead
    script = Script(clock, [], [error])
    with pytest.raises(ResponseParseError) as info:
        run(wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script)
    assert info.value is error


def test_stream_ended_but_status_lags_switches_to_polling() -> None:
    clock = Clock()
    script = Script(
        clock,
        [pred("started", stream=True), pred("succeeded")],
        [Heard("e9", 4, True)],
    )
    steps, result = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock), script
    )
    assert result.status == "succeeded"
    assert kinds(steps) == ["Notify", "Listen", "Fetch", "Sleep", "Fetch", "Notify"]


def test_use_stream_false_always_polls() -> None:
    clock = Clock()
    script = Script(clock, [pred("started", stream=True), pred("succeeded")])
    steps, _ = run(
        wait_policy(pred("started", stream=True), WaitOptions(), clock=clock, use_stream=False),
        script,
    )
    assert "Listen" not in kinds(steps)


def test_stream_false_or_missing_polls() -> None:
    for flag in (False, None):
        clock = Clock()
        script = Script(clock, [pred("succeeded")])
        steps, _ = run(
            wait_policy(pred("started", stream=flag), WaitOptions(), clock=clock), script
        )
        assert kinds(steps) == ["Notify", "Sleep", "Fetch", "Notify"]


# --- drive / adrive ------------------------------------------------------------------------------


def test_drive_executes_steps_and_returns_the_result() -> None:
    clock = Clock()
    script = Script(clock, [ServerError("x", status_code=502), pred("succeeded")])
    result = drive(wait_policy(pred("started"), WaitOptions(), clock=clock), script)
    assert result.status == "succeeded"
    assert kinds(script.steps) == ["Notify", "Sleep", "Fetch", "Sleep", "Fetch", "Notify"]


def test_drive_lets_non_predictkit_errors_end_the_wait() -> None:
    def execute(step: Step) -> Any:
        raise KeyboardInterrupt

    policy = wait_policy(pred("started"), WaitOptions(), clock=Clock())
    with pytest.raises(KeyboardInterrupt):
        drive(policy, execute)
    with pytest.raises(StopIteration):
        next(policy)  # closed by drive


async def test_adrive_matches_drive() -> None:
    clock = Clock()
    script = Script(clock, [pred("started"), pred("succeeded")])

    async def execute(step: Step) -> Any:
        return script(step)

    result: PredictionWithIO = await adrive(wait_policy(None, WaitOptions(), clock=clock), execute)
    assert result.status == "succeeded"
    assert script.notified == ["started", "succeeded"]


async def test_adrive_raises_wait_timeout() -> None:
    clock = Clock()
    script = Script(clock, [pred("started")], repeat_last=True)

    async def execute(step: Step) -> Any:
        return script(step)

    with pytest.raises(WaitTimeoutError):
        await adrive(wait_policy(pred("started"), WaitOptions(timeout=0.3), clock=clock), execute)
