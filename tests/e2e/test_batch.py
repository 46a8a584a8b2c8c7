"""create_many / async_create_many against the reference server: order, errors, retries after a
429, laziness, progress, and resuming from a journal (also after a real crash)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from predictkit import Client, CreatePredictionParams, ValidationError
from predictkit._ratelimit import CreateRate
from predictkit.batch import BatchProgress, BatchResult
from predictkit.testing import Fault, RateLimit, ReferenceServer

from .conftest import Api

MODEL = "demo/echo"


@pytest.fixture
def fast(client: Client) -> Client:
    """The client with a pacer that does not slow these tests (the default is 15 creates/s)."""
    client._create_rate = CreateRate(10_000.0)
    return client


def inputs(n: int) -> Iterator[CreatePredictionParams]:
    return ({"input": {"i": i}} for i in range(n))


def created_inputs(server: ReferenceServer) -> list[Any]:
    """The input of every create the server answered 201, in arrival order."""
    return [
        json.loads(r.body)["input"]
        for r in server.requests
        if r.operation_id == "create_prediction" and r.status_code == 201
    ]


def test_results_come_in_input_order_one_prediction_each(
    api: Api, fast: Client, predictkit_server: ReferenceServer
) -> None:
    results: list[BatchResult] = api.collect("create_many", inputs(25), MODEL, concurrency=4)
    assert [r.index for r in results] == list(range(25))
    assert all(r.ok and r.prediction is not None for r in results)
    assert [r.prediction.input_ for r in results if r.prediction] == [{"i": i} for i in range(25)]
    assert [r.prediction_id for r in results] == [r.prediction.id for r in results if r.prediction]
    assert sorted(x["i"] for x in created_inputs(predictkit_server)) == list(range(25))


def test_as_completed_gives_every_input_once(api: Api, fast: Client) -> None:
    results = api.collect("create_many", inputs(12), MODEL, concurrency=3, ordered=False)
    assert sorted(r.index for r in results) == list(range(12))


def test_a_failed_input_is_reported_and_the_batch_goes_on(
    api: Api, fast: Client, predictkit_server: ReferenceServer
) -> None:
    params: list[Any] = [{"input": {"i": 0}}, {"input": "not an object"}, {"input": {"i": 2}}]
    predictkit_server.inject("create_prediction", Fault.status(422), times=1)
    results = api.collect("create_many", iter(params), MODEL, concurrency=1)
    assert [r.index for r in results] == [0, 1, 2]
    assert isinstance(results[0].error, ValidationError)
    assert results[0].prediction_id is None
    assert isinstance(results[1].error, ValueError)
    assert results[2].ok
    assert created_inputs(predictkit_server) == [{"i": 2}]


def test_a_wait_that_fails_keeps_the_prediction_id(api: Api, fast: Client) -> None:
    params = [{"input": {"fail": "boom"}}, {"input": {"i": 1}}]
    results = api.collect("create_many", iter(params), MODEL, wait=True)
    assert results[0].ok
    assert results[0].prediction is not None and results[0].prediction.status == "failed"
    assert results[1].prediction is not None and results[1].prediction.status == "succeeded"


def test_a_429_holds_the_pacer_and_the_create_is_sent_again(
    api: Api, fast: Client, predictkit_server: ReferenceServer
) -> None:
    # Three 429s exhaust the transport's two retries: the batch sends the create once more.
    predictkit_server.inject("create_prediction", Fault.status(429, retry_after=0), times=3)
    results = api.collect("create_many", inputs(2), MODEL, concurrency=1)
    assert all(r.ok for r in results)
    assert created_inputs(predictkit_server) == [{"i": 0}, {"i": 1}]


def test_inputs_are_read_lazily_and_progress_is_reported(api: Api, fast: Client) -> None:
    pulled: list[int] = []

    def endless() -> Iterator[CreatePredictionParams]:
        for i in range(10_000):
            pulled.append(i)
            yield {"input": {"i": i}}

    seen: list[BatchProgress] = []
    if api.mode == "sync":
        batch = fast.predictions.create_many(
            endless(), MODEL, concurrency=2, on_progress=seen.append
        )
        first = [next(batch) for _ in range(3)]
        batch.close()  # type: ignore[attr-defined]
    else:
        import asyncio

        async def take() -> list[BatchResult]:
            batch = fast.predictions.async_create_many(
                endless(), MODEL, concurrency=2, on_progress=seen.append
            )
            got = [await anext(batch) for _ in range(3)]
            await batch.aclose()  # type: ignore[attr-defined]
            return got

        first = asyncio.run(take())
    assert [r.index for r in first] == [0, 1, 2]
    assert len(pulled) <= 3 + 2 * 4 + 1  # what was handed out + the ordered window + one
    assert [(p.done, p.failed) for p in seen] == [(1, 0), (2, 0), (3, 0)]


def test_bad_arguments_are_refused_before_anything_is_sent(fast: Client) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        fast.predictions.create_many(inputs(1), MODEL, concurrency=0)
    with pytest.raises(ValueError, match="model"):
        fast.predictions.create_many(inputs(1), "not a model")


def test_the_default_pacer_keeps_a_rate_limited_account_free_of_429s() -> None:
    # 20 creates against a limit of 15 per second: the pacer, not the server, spaces them.
    with (
        ReferenceServer(rate_limit=RateLimit(15, 1.0)) as server,
        Client(access_token=server.token, api_base_url=server.url, max_retries=0) as client,
    ):
        results = list(client.predictions.create_many(inputs(20), MODEL, concurrency=8))
        assert [r.ok for r in results] == [True] * 20
        assert sorted(x["i"] for x in created_inputs(server)) == list(range(20))


# --- the journal -----------------------------------------------------------------------------


def test_resume_skips_what_was_created_and_finds_what_may_have_been(
    api: Api, fast: Client, predictkit_server: ReferenceServer, tmp_path: Path
) -> None:
    server = predictkit_server
    with Client(access_token=server.token, api_base_url=server.url) as crashed:  # another process
        made = crashed.predictions.create({"input": {"i": 1}}, MODEL)  # sent before the crash
        done = crashed.predictions.create({"input": {"i": 0}}, MODEL)
    journal = tmp_path / "batch.journal"
    journal.write_text(
        f"predictkit-batch 1 {MODEL}\n"
        f"s 0 1.0\nd 0 {done.id}\n"
        f's 1 {made.created_at.timestamp() - 1:.3f} {{"i":1}}\n'  # open: outcome unknown
        "s 2 1.0 {}\nf 2\n"  # failed: created nothing, so it is tried again
        "s 3"  # a line the crash cut: ignored
    )
    before = len(created_inputs(predictkit_server))
    results = api.collect("create_many", inputs(4), MODEL, journal=journal)
    assert [r.index for r in results] == [0, 1, 2, 3]
    assert results[0].resumed and results[0].prediction_id == done.id
    assert results[1].prediction_id == made.id and results[1].resumed
    assert sorted(x["i"] for x in created_inputs(predictkit_server)[before:]) == [2, 3]
    assert f"d 3 {results[3].prediction_id}" in journal.read_text()


def test_a_journal_of_another_model_is_refused(fast: Client, tmp_path: Path) -> None:
    journal = tmp_path / "batch.journal"
    journal.write_text("predictkit-batch 1 demo/other\n")
    with pytest.raises(ValueError, match="not the journal"):
        fast.predictions.create_many(inputs(1), MODEL, journal=journal)


CRASHING_BATCH = """
import os, signal, sys
from predictkit import Client
from predictkit._ratelimit import CreateRate

url, token, journal, crash_after = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def progress(p):
    if p.done == crash_after:  # other creates are in flight: some made, not recorded
        os.kill(os.getpid(), signal.SIGKILL)

client = Client(access_token=token, api_base_url=url)
client._create_rate = CreateRate(10_000.0)
inputs = ({"input": {"i": i}} for i in range(40))
for _ in client.predictions.create_many(
    inputs, "demo/echo", concurrency=6, journal=journal, on_progress=progress
):
    pass
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_killed_batch_resumes_without_creating_anything_twice(
    fast: Client, predictkit_server: ReferenceServer, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    args = [predictkit_server.url, predictkit_server.token, str(journal), "10"]
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_BATCH, *args], check=False, capture_output=True, timeout=120
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()
    first_run = created_inputs(predictkit_server)
    assert 10 <= len(first_run) < 40

    results = list(fast.predictions.create_many(inputs(40), MODEL, journal=journal))
    assert [r.index for r in results] == list(range(40))
    assert [(r.index, r.error) for r in results if not r.ok] == []
    made = created_inputs(predictkit_server)
    assert sorted(x["i"] for x in made) == list(range(40))  # each input exactly once
    ids = [r.prediction_id for r in results]
    assert len(set(ids)) == 40
