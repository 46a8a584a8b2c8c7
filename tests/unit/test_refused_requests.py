"""A request httpx refuses to build (LocalProtocolError: an invalid header value, say), through
the real Sender (fake clock and helpers of test_sender): a typed error naming the request, never
the header value httpx quotes (it may be a credential), and for a create not an unknown outcome,
since nothing was sent."""

from __future__ import annotations

import httpx
import pytest
from predictkit import APIConnectionError, CreateOutcomeUnknownError

from .test_sender import BASE, PID, URL, FakeTime, Server, asend, clock, create, get, send

__all__ = ["clock"]  # the fake-clock fixture, used by name

SECRET = "s3cr3t-header-value"


def refusal() -> httpx.LocalProtocolError:
    return httpx.LocalProtocolError(f"Illegal header value b'{SECRET}\\n'")


@pytest.mark.parametrize("run", ["sync", "async"])
async def test_a_refused_request_names_the_request_not_the_header(
    clock: FakeTime, run: str
) -> None:
    server = Server(clock, *[refusal() for _ in range(3)])
    with pytest.raises(APIConnectionError) as info:
        if run == "sync":
            send(server, get())
        else:
            await asend(server, get())
    err = info.value
    assert type(err) is APIConnectionError
    assert (err.method, err.url, err.prediction_id) == ("GET", URL, PID)
    assert SECRET not in str(err)


def test_a_refused_create_is_not_an_unknown_outcome(clock: FakeTime) -> None:
    server = Server(clock, refusal())
    with pytest.raises(APIConnectionError) as info:
        send(server, create())
    err = info.value
    assert not isinstance(err, CreateOutcomeUnknownError)
    assert (err.method, err.url) == ("POST", f"{BASE}/predictions")
    assert SECRET not in str(err)
    assert len(server.requests) == 1  # refused locally: repeating it cannot help, nor harm
