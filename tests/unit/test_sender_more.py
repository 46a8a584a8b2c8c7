"""The real Sender's reading of a 429's Retry-After at its edges (helpers of test_sender)."""

from __future__ import annotations

import httpx
import pytest
from predictkit import RateLimitError

from .test_sender import FakeTime, Server, clock, get, send

__all__ = ["clock"]  # the fake-clock fixture, used by name


@pytest.mark.parametrize(("value", "seconds"), [("nan", None), ("-5", 0.0), ("2.5", 2.5)])
def test_a_429s_retry_after_is_a_finite_wait_or_none(
    clock: FakeTime, value: str, seconds: float | None
) -> None:
    server = Server(clock, httpx.Response(429, headers={"retry-after": value}))
    with pytest.raises(RateLimitError) as info:
        send(server, get(), max_retries=0)
    assert info.value.retry_after == seconds
