"""The reconcile policy (predictkit.reconcile), step by step, without sockets."""

from __future__ import annotations

import datetime
import email.utils
from collections.abc import Generator
from typing import Any

import pytest
from predictkit.model_ref import ModelRef
from predictkit.reconcile import (
    MAX_INPUT_CHECKS,
    Found,
    Inspect,
    ListNewest,
    Pause,
    Sent,
    Step,
    canonical,
    reconcile_policy,
)
from predictkit_api.models.prediction_list import PredictionList

NOW = datetime.datetime(2026, 12, 1, 12, 0, 0, tzinfo=datetime.UTC)
DATE = email.utils.format_datetime(NOW, usegmt=True)


def item(
    pid: str, *, ago: float = 0.0, model: str = "demo/echo", version: int = 1
) -> dict[str, Any]:
    owner, name = model.split("/")
    stamp = (NOW - datetime.timedelta(seconds=ago)).isoformat()
    return {
        "id": pid,
        "model": {"owner": owner, "name": name, "version_number": version},
        "created_at": stamp,
        "updated_at": stamp,
        "status": "pending",
        "setup_time": None,
        "execution_time": None,
    }


def page(*items: dict[str, Any], next_cursor: str | None = None) -> PredictionList:
    return PredictionList.from_dict(
        {"items": list(items), "next_cursor": next_cursor, "previous_cursor": None}
    )


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def sent(ref: str = "demo/echo", value: Any = None, known: frozenset[str] = frozenset()) -> Sent:
    # The create started 1 s ago on the test clock (monotonic 99.0).
    return Sent(ModelRef.parse(ref), canonical(value or {"x": 1}), 99.0, 0.0, known)


def run(
    policy: Generator[Step, Any, Found],
    pages: list[PredictionList],
    inputs: dict[str, Any],
    clock: Clock,
) -> tuple[Found, list[Step]]:
    """Drive the policy: ListNewest answers the pages in turn (the last repeats), Inspect
    answers the input, Pause moves the clock."""
    steps: list[Step] = []
    value: Any = None
    served = 0
    try:
        while True:
            step = policy.send(value)
            steps.append(step)
            assert len(steps) < 500
            if isinstance(step, ListNewest):
                value = (pages[min(served, len(pages) - 1)], DATE)
                served += 1
            elif isinstance(step, Inspect):
                value = {"input": inputs[step.prediction_id]}
            else:
                assert isinstance(step, Pause)
                clock.now += step.seconds
                value = None
    except StopIteration as stop:
        return stop.value, steps


def test_one_match_is_single() -> None:
    clock = Clock()
    found, steps = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(item("a"), item("b"))],
        {"a": {"x": 2}, "b": {"x": 1}},
        clock,
    )
    assert found == Found(("b",)) and found.single == "b"
    assert [type(s).__name__ for s in steps] == ["ListNewest", "Inspect", "Inspect"]


def test_input_is_compared_canonically() -> None:
    clock = Clock()
    value = {"b": [1, {"y": None}], "a": "é"}
    found, _ = run(
        reconcile_policy(sent(value=value), 5.0, clock=clock),
        [page(item("a"))],
        {"a": {"a": "é", "b": [1, {"y": None}]}},
        clock,
    )
    assert found.single == "a"


def test_nothing_found_until_the_window_closes() -> None:
    clock = Clock()
    found, steps = run(reconcile_policy(sent(), 2.0, clock=clock), [page()], {}, clock)
    assert found == Found() and found.single is None and found.candidates == ()
    pauses = [s.seconds for s in steps if isinstance(s, Pause)]
    assert sum(pauses) <= 2.0
    assert pauses[:3] == [0.1, 0.25, 0.5]
    assert clock.now + 1.0 >= 102.0  # the next pause would have crossed the window


def test_a_late_arrival_is_found_on_a_later_look() -> None:
    clock = Clock()
    found, steps = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(), page(), page(item("late"))],
        {"late": {"x": 1}},
        clock,
    )
    assert found.single == "late"
    assert sum(isinstance(s, ListNewest) for s in steps) == 3


def test_older_predictions_end_the_search_without_being_fetched() -> None:
    clock = Clock()
    # Created 1 s ago on the client clock; the margin is 2 s: 10 s old is before the create.
    found, steps = run(
        reconcile_policy(sent(), 0.5, clock=clock),
        [page(item("old", ago=10), next_cursor="c2")],
        {"old": {"x": 1}},
        clock,
    )
    assert found == Found()
    assert not any(isinstance(s, Inspect) for s in steps)
    assert all(s.cursor is None for s in steps if isinstance(s, ListNewest))


def test_other_models_versions_and_known_ids_are_skipped_unfetched() -> None:
    clock = Clock()
    found, steps = run(
        reconcile_policy(sent("demo/echo:2", known=frozenset({"mine"})), 0.5, clock=clock),
        [page(item("other", model="acme/x", version=2), item("v1"), item("mine", version=2))],
        {},
        clock,
    )
    assert found == Found()
    assert not any(isinstance(s, Inspect) for s in steps)


def test_several_matches_are_candidates_not_single() -> None:
    clock = Clock()
    found, _ = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(item("a"), item("b"))],
        {"a": {"x": 1}, "b": {"x": 1}},
        clock,
    )
    assert found.single is None and found.candidates == ("a", "b")


def test_pages_are_followed_and_bounded() -> None:
    clock = Clock()
    found, steps = run(
        reconcile_policy(sent(), 0.05, clock=clock),
        [page(item("n"), next_cursor="more")],
        {"n": {"x": 0}},
        clock,
    )
    lists = [s for s in steps if isinstance(s, ListNewest)]
    assert [s.cursor for s in lists] == [None, "more", "more", "more"]
    assert found == Found()


def test_past_the_input_budget_candidates_stay_unchecked() -> None:
    clock = Clock()
    items = [item(f"p{i}") for i in range(MAX_INPUT_CHECKS + 2)]
    found, steps = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(*items)],
        {f"p{i}": {"x": 0} for i in range(MAX_INPUT_CHECKS + 2)},
        clock,
    )
    assert sum(isinstance(s, Inspect) for s in steps) == MAX_INPUT_CHECKS
    assert found.matches == () and len(found.unchecked) == 2
    assert found.single is None


@pytest.mark.parametrize("header", [None, "", "not a date"])
def test_without_a_usable_date_the_client_clock_bounds_with_a_wide_margin(
    header: str | None,
) -> None:
    from predictkit.reconcile import _since

    since = _since(Sent(ModelRef.parse("a/b"), "{}", 99.0, NOW.timestamp()), header, 100.0)
    assert since == NOW - datetime.timedelta(seconds=300)
    exact = _since(Sent(ModelRef.parse("a/b"), "{}", 99.0, 0.0), DATE, 100.0)
    assert exact == NOW - datetime.timedelta(seconds=3)  # 1 s elapsed + 2 s margin


def test_a_failed_look_is_repeated_within_the_window() -> None:
    from predictkit import ServerError

    clock = Clock()
    policy = reconcile_policy(sent(), 5.0, clock=clock)
    assert isinstance(next(policy), ListNewest)
    step = policy.throw(ServerError("list failed"))
    assert isinstance(step, Pause)
    clock.now += step.seconds
    assert isinstance(policy.send(None), ListNewest)
    step = policy.send((page(item("a")), DATE))
    assert step == Inspect("a")
    with pytest.raises(StopIteration) as stop:
        policy.send({"input": {"x": 1}})
    assert stop.value.value.single == "a"


def test_when_the_last_look_fails_the_outcome_stays_unknown() -> None:
    from predictkit import ServerError

    clock = Clock()
    policy = reconcile_policy(sent(), 0.3, clock=clock)
    step = next(policy)
    failure = ServerError("list failed")
    with pytest.raises(ServerError) as caught:  # raised, not "found nothing": no re-send
        for _ in range(20):
            step = policy.throw(failure)
            if isinstance(step, Pause):
                clock.now += step.seconds
                step = policy.send(None)
    assert caught.value is failure
