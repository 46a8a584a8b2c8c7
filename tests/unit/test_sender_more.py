"""The real Sender at some edges: a 429's Retry-After, and a call's deadline cutting timeouts
and body reads (fake clock and helpers of test_sender)."""

from __future__ import annotations

import httpx
import pytest
from predictkit import APITimeoutError, RateLimitError

from .test_sender import GOOD, START, FakeTime, Server, asend, clock, get, send
from .test_sender_bodies import Slow

__all__ = ["clock"]  # the fake-clock fixture, used by name


@pytest.mark.parametrize(("value", "seconds"), [("nan", None), ("-5", 0.0), ("2.5", 2.5)])
def test_a_429s_retry_after_is_a_finite_wait_or_none(
    clock: FakeTime, value: str, seconds: float | None
) -> None:
    server = Server(clock, httpx.Response(429, headers={"retry-after": value}))
    with pytest.raises(RateLimitError) as info:
        send(server, get(), max_retries=0)
    assert info.value.retry_after == seconds


def test_a_deadline_cuts_each_part_of_the_timeout_only_where_it_is_longer(
    clock: FakeTime,
) -> None:
    server = Server(clock, httpx.Response(200, json=GOOD))
    send(server, get(deadline=START + 2.0, timeout=httpx.Timeout(5.0, write=1.0)))
    assert server.timeouts() == [{"connect": 2.0, "read": 2.0, "write": 1.0, "pool": 2.0}]


@pytest.mark.parametrize("run", ["sync", "async"])
async def test_a_body_outlasting_the_calls_deadline_is_a_timeout(clock: FakeTime, run: str) -> None:
    # The attempt's timeout (5 s) would allow this body; the call's deadline (2 s) does not.
    stream = Slow(clock, [b'{"id": ', b'"x"}'], each=1.5)
    server = Server(clock, httpx.Response(200, stream=stream))
    with pytest.raises(APITimeoutError):
        if run == "sync":
            send(server, get(deadline=START + 2.0), max_retries=0)
        else:
            await asend(server, get(deadline=START + 2.0), max_retries=0)
    assert stream.served == 2
