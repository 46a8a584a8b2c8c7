"""``output_iterator`` and its async twin over one shared core: when a failing event stream may
fall back to the final output (unavailable before any chunk) and when it must not (chunks went
out, which the fallback would repeat; or a failure that is not "no stream")."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from predictkit import Client, NotFoundError, PredictionWithIO, ServerError
from predictkit.testing import Fault, ReferenceServer

MODES = ["sync", "async"]


def outputs(prediction: PredictionWithIO, mode: str) -> list[Any]:
    """Every chunk ``output_iterator`` (or ``async_output_iterator``) yields."""
    if mode == "sync":
        return list(prediction.output_iterator())

    async def main() -> list[Any]:
        return [chunk async for chunk in prediction.async_output_iterator()]

    return asyncio.run(main())


def streaming(client: Client, chunks: list[str]) -> PredictionWithIO:
    p = client.predictions.create({"input": {"stream": chunks}}, model="demo/echo")
    assert p.stream is True
    return p


@pytest.mark.parametrize("mode", MODES)
def test_a_stream_gone_before_any_chunk_falls_back_to_the_final_output(
    client: Client, predictkit_server: ReferenceServer, mode: str
) -> None:
    p = streaming(client, ["a", "b"])
    predictkit_server.inject("stream_prediction", Fault.status(404, detail="Stream expired."))
    assert outputs(p, mode) == ["a", "b"]  # the final output's items, once each
    assert p.status == "succeeded"


@pytest.mark.parametrize("mode", MODES)
def test_a_stream_failing_otherwise_is_raised_not_papered_over(
    client: Client, predictkit_server: ReferenceServer, mode: str
) -> None:
    p = streaming(client, ["a", "b"])
    # Not "this prediction has no stream" (a 4xx): a server failing on every try.
    predictkit_server.inject("stream_prediction", Fault.status(500), times=100)
    with pytest.raises(ServerError):
        outputs(p, mode)


@pytest.mark.parametrize("mode", MODES)
def test_a_stream_lost_after_chunks_went_out_is_raised_not_repeated(
    client: Client, predictkit_server: ReferenceServer, mode: str
) -> None:
    p = streaming(client, ["a", "b", "c"])
    # The first connection cuts after init and one output; every reconnect finds no stream.
    predictkit_server.inject("stream_prediction", Fault.cut_stream(after_events=2))
    predictkit_server.inject(
        "stream_prediction", Fault.status(404, detail="Stream expired."), times=20
    )
    seen: list[Any] = []

    def run() -> None:
        if mode == "sync":
            seen.extend(p.output_iterator())
            return

        async def main() -> None:
            seen.extend([chunk async for chunk in p.async_output_iterator()])

        asyncio.run(main())

    with pytest.raises(NotFoundError):
        run()
