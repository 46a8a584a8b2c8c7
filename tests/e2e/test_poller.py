"""``Poller.result`` and ``async_result``: the same wait, sync and async, from the last state
the poller saw, with ``cancel_on_timeout`` passed through."""

from __future__ import annotations

import asyncio

import pytest
from predictkit import Client, Poller, PredictionWithIO, WaitOptions, WaitTimeoutError

MODES = ["sync", "async"]


def result(poller: Poller, mode: str, timeout: float, *, cancel: bool = False) -> PredictionWithIO:
    if mode == "sync":
        return poller.result(timeout, cancel_on_timeout=cancel)
    return asyncio.run(poller.async_result(timeout, cancel_on_timeout=cancel))


@pytest.mark.parametrize("mode", MODES)
def test_result_waits_for_the_end_and_remembers_it(client: Client, mode: str) -> None:
    created = client.predictions.create({"input": {"sleep": 0.2}}, model="demo/echo")
    poller = client.predictions.poller(created.id)
    poller.done()  # a state seen: the wait starts from it
    final = result(poller, mode, 30)
    assert (final.id, final.status, final.output) == (created.id, "succeeded", {"sleep": 0.2})
    assert poller.status() == "succeeded"


@pytest.mark.parametrize("mode", MODES)
def test_result_cancels_on_timeout_when_asked(client: Client, mode: str) -> None:
    # The prediction runs 100 times longer than the wait: it cannot end first.
    created = client.predictions.create({"input": {"sleep": 30}}, model="demo/echo")
    poller = client.predictions.poller(created.id)
    with pytest.raises(WaitTimeoutError) as caught:
        result(poller, mode, 0.3, cancel=True)
    assert caught.value.cancelled is True
    ended = client.predictions.wait(created.id, WaitOptions(timeout=10))
    assert ended.status == "cancelled"
