"""The real Sender on the paths test_sender.py leaves out: a streamed success (logged like any
other), an async response that stalls until its deadline ends it (asyncio's own timer, the
only real wait here: a read timeout of 10 ms).
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from predictkit import APITimeoutError
from predictkit._http import RetryPolicy, Sender

from .test_sender import BASE, PID, FakeTime, Server, asend, clock, get, ok, send

__all__ = ["clock"]  # the fake-clock fixture, used by name

WHERE = f"GET /v1/predictions/{PID}"


@pytest.mark.parametrize("run", ["sync", "async"])
async def test_a_streamed_success_is_logged_with_its_time(
    clock: FakeTime, caplog: pytest.LogCaptureFixture, run: str
) -> None:
    server = Server(clock, ok(), takes=0.25)
    with caplog.at_level(logging.DEBUG, logger="predictkit"):
        if run == "sync":
            response = send(server, get(), stream=True)
        else:
            response = await asend(server, get(), stream=True)
    assert response.status_code == 200
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("DEBUG", f"{WHERE} -> 200 (250.0 ms)")
    ]


def stalling_sender(max_retries: int) -> Sender:
    return Sender(
        base_url=BASE,
        token="tok",
        headers={},
        timeout=httpx.Timeout(5.0, read=0.01),
        policy=RetryPolicy(max_retries=max_retries, jitter=lambda: 0.0),
    )


class Stall:
    """An async server whose every answer never comes: only the response deadline ends it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        await asyncio.Event().wait()
        raise AssertionError("never set")


@pytest.mark.parametrize("retries", [0, 1])
async def test_an_async_response_that_never_comes_ends_at_its_deadline(
    clock: FakeTime, retries: int
) -> None:
    """httpx.MockTransport enforces no timeout: only the Sender's whole-response deadline ends
    each attempt, which then counts as a read timeout (retried like one)."""
    stall = Stall()
    async with httpx.AsyncClient(transport=httpx.MockTransport(stall)) as http:
        with pytest.raises(APITimeoutError) as info:
            await stalling_sender(retries).asend(http, get())
    error = info.value
    assert len(stall.requests) == retries + 1
    assert error.attempts == retries + 1
    assert error.url == f"{BASE}/predictions/{PID}"
    cause = error.__cause__
    assert isinstance(cause, httpx.ReadTimeout)
    assert cause.request is stall.requests[-1]
    assert clock.slept == [0.5] * retries  # the fake clock's: the wait between attempts
