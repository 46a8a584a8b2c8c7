"""The create pacer: documented start, header-driven holds and spreading, 429 holds."""

from __future__ import annotations

import pytest
from predictkit._ratelimit import DOCUMENTED_CREATE_RATE, MAX_HOLD, CreateRate


class Clocks:
    def __init__(self) -> None:
        self.mono = 100.0
        self.wall = 1_000_000.0

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds


def pacer(clocks: Clocks) -> CreateRate:
    return CreateRate(clock=lambda: clocks.mono, wall=lambda: clocks.wall)


def test_starts_at_the_documented_creation_limit() -> None:
    clocks = Clocks()
    rate = pacer(clocks)
    delays = [rate.reserve() for _ in range(4)]
    step = 1 / DOCUMENTED_CREATE_RATE
    assert delays == pytest.approx([0.0, step, 2 * step, 3 * step])


def test_an_exhausted_window_holds_every_create_until_its_reset() -> None:
    clocks = Clocks()
    rate = pacer(clocks)
    rate.sending()
    rate.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(clocks.wall + 0.75)})
    assert rate.reserve() == pytest.approx(0.75)


def test_creates_in_flight_count_against_what_is_left() -> None:
    clocks = Clocks()
    rate = pacer(clocks)
    for _ in range(4):
        rate.sending()
    # 3 left, but 3 other creates are on their way: nothing is left for a new one.
    rate.observe({"x-ratelimit-remaining": "3", "x-ratelimit-reset": str(clocks.wall + 0.5)})
    assert rate.reserve() == pytest.approx(0.5)


def test_what_is_left_is_spread_over_the_time_to_the_reset() -> None:
    clocks = Clocks()
    rate = pacer(clocks)
    rate.observe({"x-ratelimit-remaining": "4", "x-ratelimit-reset": str(clocks.wall + 2.0)})
    assert rate.interval == pytest.approx(0.5)
    rate.observe({"x-ratelimit-remaining": "100", "x-ratelimit-reset": str(clocks.wall + 1.0)})
    assert rate.interval == pytest.approx(1 / DOCUMENTED_CREATE_RATE)  # never faster


def test_a_429_holds_creates_and_a_wild_reset_is_capped() -> None:
    clocks = Clocks()
    rate = pacer(clocks)
    rate.hold(2.0)
    assert rate.reserve() == pytest.approx(2.0)
    other = pacer(clocks)
    other.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(clocks.wall + 1e9)})
    assert other.reserve() == pytest.approx(MAX_HOLD)


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-ratelimit-remaining": "x", "x-ratelimit-reset": "1"}, {"x-ratelimit-reset": "nan"}],
)
def test_missing_or_malformed_headers_change_nothing(headers: dict[str, str]) -> None:
    clocks = Clocks()
    rate = pacer(clocks)
    rate.observe(headers)
    assert rate.interval == pytest.approx(1 / DOCUMENTED_CREATE_RATE)
    assert rate.reserve() == 0.0


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rate"):
        CreateRate(0)
