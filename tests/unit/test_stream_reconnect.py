"""The reconnect rules both stream consumers follow (predictkit._reconnect), tested directly:
pure values in, decisions out, no clock and no sockets."""

from __future__ import annotations

import attrs
import pytest
from predictkit._reconnect import (
    QUIET_BEFORE_CHECK,
    RECENT_IDS,
    STREAM_RULES,
    TERMINAL_EVENTS,
    WAIT_RULES,
    Connection,
    GiveUp,
    RecentIds,
    Reconnect,
    ReconnectRules,
    Resumption,
    is_replay,
)


def close(
    state: Resumption, events: int = 0, lasted: float = 0.0, last_id: str | None = None
) -> tuple[Resumption, Reconnect | GiveUp]:
    return state.closed(events=events, lasted=lasted, last_id=last_id)


def fail_n(state: Resumption, n: int, *, broken: bool = True) -> list[object]:
    """n failed connections in a row (errors, or quick empty closes); the decisions, in order."""
    decisions: list[object] = []
    for _ in range(n):
        state, decision = state.broke() if broken else close(state)
        decisions.append(decision)
    return decisions


# --- the values each consumer uses --------------------------------------------------------------


def test_the_rules_values() -> None:
    assert frozenset({"done", "error"}) == TERMINAL_EVENTS
    assert QUIET_BEFORE_CHECK == 3
    assert (
        ReconnectRules(
            max_reconnects=5,
            healthy_after=0.5,
            backoff_first=0.25,
            backoff_max=4.0,
            quiet_before_check=3,
            check_after_failure=False,
        )
        == STREAM_RULES
    )
    assert (
        ReconnectRules(
            max_reconnects=2,
            healthy_after=0.5,
            backoff_first=0.0,
            backoff_max=4.0,
            quiet_before_check=None,
            check_after_failure=True,
        )
        == WAIT_RULES
    )


def test_a_new_resumption_starts_clean() -> None:
    state = Resumption(STREAM_RULES)
    assert (state.after_id, state.failures, state.quiet) == (None, 0, 0)


# --- resume point ---------------------------------------------------------------------------------


def test_an_event_moves_the_resume_point_and_resets_the_counts() -> None:
    state = Resumption(STREAM_RULES, "3", failures=4, quiet=2)
    after = state.event("4")
    assert (after.after_id, after.failures, after.quiet) == ("4", 0, 0)
    assert state.after_id == "3"  # pure: the old state is unchanged


def test_an_event_without_an_id_keeps_the_resume_point() -> None:
    assert Resumption(STREAM_RULES, "3").event("").after_id == "3"
    assert Resumption(STREAM_RULES, "3").event(None).after_id == "3"


def test_a_closed_connection_resumes_after_its_last_id_or_the_one_before() -> None:
    state, decision = close(Resumption(WAIT_RULES, "e1"), events=2, last_id="e3")
    assert state.after_id == "e3"
    assert decision == Reconnect(0.0, "e3", check_end=False)
    state, decision = close(Resumption(WAIT_RULES, "e1"), events=0, lasted=5.0)
    assert state.after_id == "e1"
    assert decision == Reconnect(0.0, "e1", check_end=False)


def test_a_quick_empty_close_still_moves_the_resume_point_to_its_last_id() -> None:
    state, decision = close(Resumption(STREAM_RULES, "e1"), lasted=0.1, last_id="e2")
    assert (state.after_id, state.failures) == ("e2", 1)
    assert decision == Reconnect(0.0, "e2")
    state, decision = close(state, last_id="e3")
    assert decision == Reconnect(0.5, "e3")
    state, decision = Resumption(WAIT_RULES, "e4", failures=2).closed(
        events=0, lasted=0.0, last_id="e5"
    )
    assert decision == GiveUp(3, "e5")


def test_a_broken_connection_keeps_the_resume_point() -> None:
    state, decision = Resumption(STREAM_RULES, "e1").broke()
    assert (state.after_id, state.failures, decision) == ("e1", 1, Reconnect(0.25, "e1"))


def test_is_replay_only_for_the_first_event_carrying_the_id_resumed_after() -> None:
    assert is_replay("4", "4", 0) is True
    assert is_replay("4", "4", 1) is False  # a later event inheriting the id is new
    assert is_replay("5", "4", 0) is False
    assert is_replay("", "", 0) is False  # no id at all proves nothing
    assert is_replay("4", None, 0) is False


# --- new events and repeats (a server that ignores after_id) -------------------------------------


def test_recent_ids_remember_the_last_ones_only() -> None:
    seen = RecentIds(limit=3)
    for event_id in ("1", "2", "3", "2", "4"):  # "2" again does not make it young
        seen.add(event_id)
    assert ("1" in seen, "2" in seen, "3" in seen, "4" in seen) == (False, True, True, True)
    assert len(seen) == 3
    seen.add("")  # no id at all is not an id seen
    assert "" not in seen and len(seen) == 3


def test_recent_ids_hold_at_most_recent_ids_however_long_the_stream() -> None:
    seen = RecentIds("start")
    for n in range(10 * RECENT_IDS):
        seen.add(str(n))
    assert RECENT_IDS == 1024
    assert len(seen) == RECENT_IDS
    assert "start" not in seen and str(10 * RECENT_IDS - 1) in seen


def test_a_connection_replaying_the_stream_from_the_start_brings_nothing_new() -> None:
    seen = RecentIds()
    first = Connection(None, seen)
    assert [first.is_new(i) for i in ("1", "2")] == [True, True]
    again = Connection("2", seen)  # resumed after "2", but the server starts over
    assert [again.is_new(i) for i in ("1", "2", "1", "2")] == [False] * 4
    assert (again.new, again.repeats) == (0, 4)
    assert again.is_new("3") is True
    assert (again.new, again.repeats) == (1, 4)


def test_only_the_first_event_carrying_the_resume_point_is_a_tolerated_replay() -> None:
    seen = RecentIds("4")
    replay = Connection("4", seen)
    assert replay.is_new("4") is False
    assert (replay.new, replay.repeats) == (0, 0)  # tolerated: not a repeat
    assert replay.is_new("4") is False
    assert replay.repeats == 1  # the second time it is one
    later = Connection("4", seen)
    assert later.is_new("5") is True
    assert later.is_new("4") is False and later.repeats == 1


def test_an_event_without_its_own_id_cannot_be_judged_and_is_new() -> None:
    seen = RecentIds()
    connection = Connection(None, seen)
    assert connection.is_new("1") is True
    assert connection.is_new("1", own_id=False) is True  # inherited "1" (SSE rules)
    assert connection.is_new("", own_id=False) is True
    assert (connection.new, connection.repeats, len(seen)) == (3, 0, 1)


def test_a_connection_repeating_more_than_the_stream_remembers_is_endless() -> None:
    connection = Connection(None, RecentIds(limit=3))
    assert [connection.is_new(i) for i in ("1", "2")] == [True, True]
    endless = []
    for event_id in ("1", "1", "1", "2", "3"):
        connection.is_new(event_id)
        endless.append(connection.endless)
    # 4 repeats in a row > 3 ids remembered; something new starts the count again.
    assert endless == [False, False, False, True, False]
    assert (connection.new, connection.repeats) == (3, 4)


def test_a_connection_that_starts_with_repeats_counts_them_from_its_first_event() -> None:
    connection = Connection(None, RecentIds("1", "2", limit=3))
    endless = []
    for event_id in ("1", "2", "1", "2"):
        assert not connection.is_new(event_id)
        endless.append(connection.endless)
    assert endless == [False, False, False, True]  # the 4th repeat in a row, not the 3rd


@pytest.mark.parametrize("repeats", [1, 2])
@pytest.mark.parametrize("rules", [STREAM_RULES, WAIT_RULES])
def test_a_connection_with_only_repeats_is_a_failure_however_long_it_lasted(
    rules: ReconnectRules, repeats: int
) -> None:
    state, decision = close(Resumption(rules, "2"), events=0, lasted=60.0)
    assert state.failures == 0  # quiet for its idle gap: healthy
    decisions = []
    for _ in range(rules.max_reconnects + 1):
        state, decision = state.closed(events=0, lasted=60.0, repeats=repeats)
        decisions.append(decision)
    assert [type(d) for d in decisions] == [Reconnect] * rules.max_reconnects + [GiveUp]
    assert decisions[-1] == GiveUp(rules.max_reconnects + 1, "2")
    delays = [d.delay for d in decisions if isinstance(d, Reconnect)]
    assert delays == sorted(delays)  # backing off


def test_repeats_with_new_events_are_progress() -> None:
    state = Resumption(STREAM_RULES, "2", failures=3)
    state, decision = close(state, events=1, lasted=0.0, last_id="3")
    assert (state.failures, decision) == (0, Reconnect(0.0, "3"))
    state, decision = Resumption(STREAM_RULES, "2", failures=3).closed(
        events=1, lasted=0.0, last_id="3", repeats=5
    )
    assert (state.failures, decision) == (0, Reconnect(0.0, "3"))


# --- healthy connections ----------------------------------------------------------------------


@pytest.mark.parametrize("rules", [STREAM_RULES, WAIT_RULES])
def test_a_connection_with_events_is_healthy_and_resets_failures(rules: ReconnectRules) -> None:
    state = Resumption(rules, "1", failures=rules.max_reconnects, quiet=1)
    state, decision = close(state, events=1, lasted=0.0, last_id="2")
    assert decision == Reconnect(0.0, "2", check_end=False)
    assert (state.failures, state.quiet) == (0, 0)


@pytest.mark.parametrize("rules", [STREAM_RULES, WAIT_RULES])
def test_a_quiet_close_after_half_a_second_is_healthy(rules: ReconnectRules) -> None:
    state, decision = close(Resumption(rules, "1", failures=2), lasted=0.5)
    assert isinstance(decision, Reconnect)
    assert decision.delay == 0.0
    assert state.failures == 0
    state, decision = close(Resumption(rules, "1", failures=1), lasted=0.49)
    assert state.failures == 2  # just too short: a failure


def test_quiet_healthy_connections_ask_for_a_check_every_few_on_a_stream() -> None:
    state = Resumption(STREAM_RULES, "1")
    checks = []
    for _ in range(3 * QUIET_BEFORE_CHECK):
        state, decision = close(state, lasted=30.0)
        assert isinstance(decision, Reconnect)
        assert decision.delay == 0.0
        checks.append(decision.check_end)
    assert checks == [False, False, True] * 3
    assert state.quiet == 0 and state.failures == 0


def test_quiet_count_survives_a_failure_but_not_an_event() -> None:
    state = Resumption(STREAM_RULES, "1", quiet=2)
    state, decision = state.broke()
    assert state.quiet == 2
    state, decision = close(state, lasted=30.0)
    assert isinstance(decision, Reconnect) and decision.check_end is True
    state, decision = close(Resumption(STREAM_RULES, "1", quiet=2), events=1, lasted=30.0)
    assert state.quiet == 0
    assert isinstance(decision, Reconnect) and decision.check_end is False


def test_a_wait_never_checks_after_quiet_connections() -> None:
    state = Resumption(WAIT_RULES, "1")
    for _ in range(10):
        state, decision = close(state, lasted=30.0)
        assert decision == Reconnect(0.0, "1", check_end=False)
    assert state.quiet == 10


# --- failures, back-off, giving up --------------------------------------------------------------


def test_stream_errors_back_off_doubling_to_a_cap_then_give_up() -> None:
    decisions = fail_n(Resumption(STREAM_RULES, "7"), 7)
    assert decisions[:5] == [Reconnect(d, "7") for d in (0.25, 0.5, 1.0, 2.0, 4.0)]
    assert decisions[5] == GiveUp(6, "7")
    assert decisions[6] == GiveUp(7, "7")


def test_the_backoff_is_capped() -> None:
    rules = ReconnectRules(max_reconnects=10, backoff_first=1.0, backoff_max=3.0)
    delays = [d.delay for d in fail_n(Resumption(rules), 4) if isinstance(d, Reconnect)]
    assert delays == [1.0, 2.0, 3.0, 3.0]


def test_a_first_clean_quick_close_reconnects_at_once_then_backs_off() -> None:
    decisions = fail_n(Resumption(STREAM_RULES), 3, broken=False)
    assert decisions == [Reconnect(0.0, None), Reconnect(0.5, None), Reconnect(1.0, None)]


def test_the_failure_count_is_kept_in_the_state() -> None:
    state = Resumption(STREAM_RULES, "1")
    state, _ = state.broke()
    state, _ = close(state)
    assert state.failures == 2
    assert state.after_id == "1"


def test_a_wait_checks_after_every_failure_without_pause_and_gives_up_on_the_third() -> None:
    decisions = fail_n(Resumption(WAIT_RULES, "e"), 3)
    assert decisions == [
        Reconnect(0.0, "e", check_end=True),
        Reconnect(0.0, "e", check_end=True),
        GiveUp(3, "e"),
    ]
    quick = fail_n(Resumption(WAIT_RULES), 3, broken=False)
    assert [type(d) for d in quick] == [Reconnect, Reconnect, GiveUp]


def test_an_event_after_failures_gives_the_full_budget_again() -> None:
    state = Resumption(STREAM_RULES)
    for _ in range(STREAM_RULES.max_reconnects):
        state, _ = state.broke()
    state = state.event("9")
    decisions = fail_n(state, STREAM_RULES.max_reconnects + 1)
    assert [type(d) for d in decisions] == [Reconnect] * 5 + [GiveUp]


def test_rules_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        STREAM_RULES.max_reconnects = 99  # type: ignore[misc]
