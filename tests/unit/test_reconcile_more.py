"""More of the reconcile policy's edges (predictkit.reconcile): the clock bounds, the pause
schedule, which failures a later look may repair, and the ledger of ids already returned."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from predictkit import (
    APIConnectionError,
    AuthenticationError,
    ModelRef,
    RateLimitError,
    ServerError,
)
from predictkit.reconcile import (
    CreatedLedger,
    Found,
    Inspect,
    ListNewest,
    Pause,
    Sent,
    _since,
    canonical,
    reconcile_policy,
)

from .test_reconcile import DATE, NOW, Clock, item, page, run, sent


def test_sent_of_a_create_body_keeps_the_model_and_the_canonical_input() -> None:
    body = {"model": "demo/echo:7", "input": {"b": 1, "a": [True, None]}, "webhook": "https://x"}
    record = Sent.of(body, 12.5, 1700.0)
    assert record == Sent(ModelRef("demo", "echo", 7), '{"a":[true,null],"b":1}', 12.5, 1700.0)
    assert record.known_ids == frozenset()


def test_canonical_spells_one_value_one_way() -> None:
    assert canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'


def test_found_single_needs_one_match_and_nothing_unchecked() -> None:
    assert Found(("a",)).single == "a"
    assert Found(("a",), ("b",)).single is None
    assert Found((), ("b",)).single is None
    assert Found(("a", "c"), ("b",)).candidates == ("a", "c", "b")


def test_the_server_clock_bound_counts_the_time_since_the_create_started() -> None:
    record = Sent(ModelRef.parse("a/b"), "{}", 99.0, 0.0)
    # No time has passed: only the 2 s margin.
    assert _since(record, DATE, 99.0) == NOW - datetime.timedelta(seconds=2)
    # Half a second has passed.
    assert _since(record, DATE, 99.5) == NOW - datetime.timedelta(seconds=2.5)
    # A clock that went backwards counts as no time.
    assert _since(record, DATE, 98.0) == NOW - datetime.timedelta(seconds=2)


def test_a_date_without_a_zone_falls_back_to_the_client_clock() -> None:
    record = Sent(ModelRef.parse("a/b"), "{}", 99.0, NOW.timestamp())
    naive = "Tue, 01 Dec 2026 12:00:00 -0000"  # RFC 2822's "zone unknown": a naive datetime
    assert _since(record, naive, 100.0) == NOW - datetime.timedelta(seconds=300)


def test_a_prediction_created_exactly_at_the_bound_is_a_candidate() -> None:
    clock = Clock()
    # The create started 1 s ago, the margin is 2 s: the bound is NOW - 3 s.
    found, steps = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(item("edge", ago=3))],
        {"edge": {"x": 1}},
        clock,
    )
    assert found.single == "edge"
    assert sum(isinstance(s, ListNewest) for s in steps) == 1  # on the first look


def test_creation_times_in_another_zone_are_compared_as_instants() -> None:
    clock = Clock()
    old = item("old")
    old["created_at"] = "2026-12-01T12:30:00+01:00"  # 11:30 UTC: half an hour before the create
    found, steps = run(reconcile_policy(sent(), 0.05, clock=clock), [page(old)], {}, clock)
    assert found == Found()
    assert steps == [ListNewest(None)]


def test_creation_times_without_a_zone_are_read_as_utc() -> None:
    clock = Clock()
    naive = item("n")
    naive["created_at"] = NOW.replace(tzinfo=None).isoformat()
    old = item("old", ago=60)
    old["created_at"] = (NOW - datetime.timedelta(seconds=60)).replace(tzinfo=None).isoformat()
    found, steps = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(naive, old)],
        {"n": {"x": 1}, "old": {"x": 1}},
        clock,
    )
    assert found.single == "n"
    assert Inspect("old") not in steps


def test_pauses_follow_the_schedule_and_the_last_repeats() -> None:
    clock = Clock()
    found, steps = run(reconcile_policy(sent(), 5.0, clock=clock), [page()], {}, clock)
    assert found == Found()
    assert [s.seconds for s in steps if isinstance(s, Pause)] == [
        0.1,
        0.25,
        0.5,
        1.0,
        1.0,
        1.0,
        1.0,
    ]
    assert clock.now == pytest.approx(104.85)


def test_no_pause_that_would_reach_the_end_of_the_window() -> None:
    clock = Clock()
    found, steps = run(reconcile_policy(sent(), 0.1, clock=clock), [page()], {}, clock)
    assert found == Found()
    assert steps == [ListNewest(None)]


def test_a_candidate_found_on_the_first_look_ends_the_search_at_once() -> None:
    clock = Clock()
    found, steps = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(item("a"))],
        {"a": {"x": 1}},
        clock,
    )
    assert found.single == "a"
    assert steps == [ListNewest(None), Inspect("a")]


def test_a_judged_prediction_is_not_fetched_again_on_a_later_look() -> None:
    clock = Clock()
    found, steps = run(
        reconcile_policy(sent(), 5.0, clock=clock),
        [page(item("other")), page(item("new"), item("other"))],
        {"other": {"x": 2}, "new": {"x": 1}},
        clock,
    )
    assert found.single == "new"
    assert [s for s in steps if isinstance(s, Inspect)] == [Inspect("other"), Inspect("new")]


def transient(kind: str) -> Exception:
    if kind == "connection":
        return APIConnectionError("reset", method="GET", url="https://api.test/v1/predictions")
    if kind == "rate":
        return RateLimitError("slow down", retry_after=1.0, status_code=429)
    return ServerError("boom", status_code=503)


@pytest.mark.parametrize("kind", ["connection", "rate", "server"])
def test_each_transient_failure_is_looked_past(kind: str) -> None:
    clock = Clock()
    policy = reconcile_policy(sent(), 5.0, clock=clock)
    assert next(policy) == ListNewest(None)
    step = policy.throw(transient(kind))
    assert step == Pause(0.1)
    clock.now += 0.1
    assert policy.send(None) == ListNewest(None)
    assert policy.send((page(item("a")), DATE)) == Inspect("a")
    with pytest.raises(StopIteration) as stop:
        policy.send({"input": {"x": 1}})
    assert stop.value.value.single == "a"


def test_a_failure_that_a_later_look_cannot_repair_is_raised_at_once() -> None:
    clock = Clock()
    policy = reconcile_policy(sent(), 5.0, clock=clock)
    next(policy)
    refused = AuthenticationError("bad token", status_code=401)
    with pytest.raises(AuthenticationError) as caught:
        policy.throw(refused)
    assert caught.value is refused


def test_a_failed_look_after_a_successful_one_keeps_the_outcome_unknown() -> None:
    clock = Clock()
    policy = reconcile_policy(sent(), 0.5, clock=clock)
    next(policy)
    step: Any = policy.send((page(), DATE))  # looked, found nothing
    failure = ServerError("boom", status_code=500)
    with pytest.raises(ServerError) as caught:
        for _ in range(20):
            assert isinstance(step, Pause)
            clock.now += step.seconds
            assert policy.send(None) == ListNewest(None)
            step = policy.throw(failure)
    assert caught.value is failure


def test_the_ledger_keeps_the_newest_thousand_ids() -> None:
    ledger = CreatedLedger()
    assert ledger.snapshot() == frozenset()
    for i in range(1001):
        ledger.add(f"p{i}")
    ids = ledger.snapshot()
    assert len(ids) == 1000
    assert "p0" not in ids and "p1" in ids and "p1000" in ids


def test_a_small_ledger_forgets_the_oldest() -> None:
    ledger = CreatedLedger(size=2)
    for pid in ("a", "b", "c"):
        ledger.add(pid)
    assert ledger.snapshot() == frozenset({"b", "c"})


def test_a_known_id_is_passed_over_not_the_end_of_the_page() -> None:
    clock = Clock()
    found, steps = run(
        reconcile_policy(sent(known=frozenset({"mine"})), 5.0, clock=clock),
        [page(item("mine"), item("a"))],
        {"a": {"x": 1}},
        clock,
    )
    assert found.single == "a"
    assert Inspect("mine") not in steps
