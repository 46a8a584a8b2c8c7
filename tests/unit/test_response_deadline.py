"""When an attempt's whole response must have arrived, through the real Sender (fake clock and
helpers of test_sender): the sooner of the read timeout and the call's deadline, except for a
create, whose response is never cut short by the deadline (a create cut short may have run)."""

from __future__ import annotations

import httpx
import pytest
from predictkit import APITimeoutError
from predictkit._call import Call

from .test_sender import START, FakeTime, Server, asend, clock, create, get, send
from .test_sender_bodies import Slow

__all__ = ["clock"]  # the fake-clock fixture, used by name

both = pytest.mark.parametrize("run", ["sync", "async"])


async def deliver(server: Server, run: str, call: Call) -> httpx.Response:
    if run == "sync":
        return send(server, call, max_retries=0)
    return await asend(server, call, max_retries=0)


@both
async def test_a_far_deadline_does_not_extend_the_read_timeout(clock: FakeTime, run: str) -> None:
    # The sender's read timeout is 5 s: the body must be complete by START + 5 even though the
    # call's own deadline is far away.
    stream = Slow(clock, [b'{"id": ', b'"x"}'], each=6.0)
    server = Server(clock, httpx.Response(200, stream=stream))
    with pytest.raises(APITimeoutError):
        await deliver(server, run, get(deadline=START + 1000.0))
    assert stream.served == 1


@both
async def test_a_near_deadline_ends_the_response_before_the_read_timeout(
    clock: FakeTime, run: str
) -> None:
    stream = Slow(clock, [b'{"id": ', b'"x"}'], each=1.5)
    server = Server(clock, httpx.Response(200, stream=stream))
    with pytest.raises(APITimeoutError):
        await deliver(server, run, get(deadline=START + 2.0))
    assert clock.now < START + 5.0  # well inside the 5 s read timeout


@both
async def test_a_create_gets_its_whole_answer_past_the_deadline(clock: FakeTime, run: str) -> None:
    # The body ends at START + 3: past the call's deadline, inside the 5 s read timeout.
    body = b'{"id": "x"}'
    stream = Slow(clock, [body[:5], body[5:]], each=1.5)
    server = Server(clock, httpx.Response(201, stream=stream))
    response = await deliver(server, run, create(deadline=START + 2.0))
    assert response.content == body
    assert clock.now == START + 3.0


@both
async def test_a_body_still_arriving_at_its_deadline_is_late(clock: FakeTime, run: str) -> None:
    # The first chunk lands exactly at START + 5, the end of the 5 s read timeout, and more
    # is still to come: the response did not complete within its deadline.
    stream = Slow(clock, [b'{"id": ', b'"x"}'], each=5.0)
    server = Server(clock, httpx.Response(200, stream=stream))
    with pytest.raises(APITimeoutError):
        await deliver(server, run, get())
    assert stream.served == 1
