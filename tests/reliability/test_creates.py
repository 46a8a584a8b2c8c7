"""No lost and no duplicate create, with the reference server's prediction count as the witness.

Each scenario makes a create whose answer is lost or ambiguous in one way, sync and async, and
asserts what the user gets and how many predictions exist afterwards (exactly one, unless the
scenario says otherwise) and how many create requests were sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from predictkit import Client, CreateOutcomeUnknownError, ValidationError
from predictkit.testing import Fault
from predictkit.testing._server import ReferenceServer

WINDOW = 1.0
"""Reconcile window for these tests. The reference server lists a prediction as soon as it
exists, so the window only decides how long a create that never arrived waits before its one
retry; the slow-create test below uses a longer one."""


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(predictkit_server: ReferenceServer) -> Iterator[Client]:
    with Client(predictkit_server.token, predictkit_server.url, reconcile_window=WINDOW) as c:
        yield c


def create(client: Client, mode: str, body: dict[str, Any], **kwargs: Any) -> Any:
    if mode == "sync":
        return client.predictions.create(body, model="demo/echo", **kwargs)  # type: ignore[arg-type]

    async def run() -> Any:
        return await client.predictions.async_create(body, model="demo/echo", **kwargs)  # type: ignore[arg-type]

    return asyncio.run(run())


def sent(server: ReferenceServer, operation_id: str) -> int:
    return sum(1 for r in server.requests if r.operation_id == operation_id)


# What the server does with the first create, and how many create requests that takes: a fault
# "before" acting leaves nothing, so the client looks, finds nothing, and sends it once more; a
# fault "after" acting leaves the prediction, which the client finds and returns.
LOST_ANSWERS = {
    "reset before the server acts": (Fault.drop(), 2),
    "reset after the server acts": (Fault.drop(after_handling=True), 1),
    "500 before the server acts": (Fault.status(500), 2),
    "500 after the server acts": (Fault.status(500, after_handling=True), 1),
    "502 HTML page before": (Fault.html(502), 2),
    "502 HTML page after (proxy timeout)": (Fault.html(502, after_handling=True), 1),
    "503 before": (Fault.status(503, retry_after=0), 2),
}


@pytest.mark.parametrize("scenario", sorted(LOST_ANSWERS))
def test_a_lost_answer_neither_loses_nor_duplicates(
    scenario: str, mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    fault, requests = LOST_ANSWERS[scenario]
    predictkit_server.inject("create_prediction", fault)
    p = create(client, mode, {"input": {"scenario": scenario}})
    assert p.input_ == {"scenario": scenario}
    assert predictkit_server.prediction_count() == 1
    assert sent(predictkit_server, "create_prediction") == requests
    assert client.predictions.get(p.id).id == p.id


def test_a_create_slower_than_the_timeout_is_found(
    mode: str, predictkit_server: ReferenceServer
) -> None:
    # The server handles the create 1 s after it arrives; the client gave up reading at 0.3 s.
    predictkit_server.inject("create_prediction", Fault.delay(1.0))
    with Client(
        predictkit_server.token, predictkit_server.url, timeout=0.3, reconcile_window=5.0
    ) as slow:
        p = create(slow, mode, {"input": {"slow": True}})
    assert p.input_ == {"slow": True}
    assert predictkit_server.prediction_count() == 1
    assert sent(predictkit_server, "create_prediction") == 1


def test_found_then_waited(mode: str, client: Client, predictkit_server: ReferenceServer) -> None:
    predictkit_server.inject("create_prediction", Fault.drop(after_handling=True))
    p = create(client, mode, {"input": {"sleep": 0.2}}, wait=True)
    assert p.status == "succeeded"
    assert predictkit_server.prediction_count() == 1


def test_a_4xx_is_never_reconciled(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_prediction", Fault.status(422, detail="bad"))
    with pytest.raises(ValidationError):
        create(client, mode, {"input": {}})
    assert sent(predictkit_server, "list_predictions") == 0
    assert sent(predictkit_server, "create_prediction") == 1


def test_turned_off_it_raises_as_before(mode: str, predictkit_server: ReferenceServer) -> None:
    predictkit_server.inject("create_prediction", Fault.drop(after_handling=True))
    with (
        Client(predictkit_server.token, predictkit_server.url, reconcile_window=0) as off,
        pytest.raises(CreateOutcomeUnknownError) as caught,
    ):
        create(off, mode, {"input": {}})
    assert caught.value.candidates == ()
    assert sent(predictkit_server, "list_predictions") == 0
    assert predictkit_server.prediction_count() == 1


def test_several_candidates_raise_with_them(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    # Another client (another process, say) made the same prediction a moment earlier: the
    # client cannot tell which of the two is its own, so it says so instead of guessing.
    with Client(predictkit_server.token, predictkit_server.url) as other:
        theirs = other.predictions.create({"input": {"same": 1}}, model="demo/echo")
    predictkit_server.inject("create_prediction", Fault.status(500, after_handling=True))
    with pytest.raises(CreateOutcomeUnknownError) as caught:
        create(client, mode, {"input": {"same": 1}})
    candidates = caught.value.candidates
    assert len(candidates) == 2 and theirs.id in candidates
    assert any("may be this create's" in note for note in caught.value.__notes__)
    assert predictkit_server.prediction_count() == 2


def test_its_own_earlier_identical_create_is_not_claimed(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    first = create(client, mode, {"input": {"same": 2}})
    predictkit_server.inject("create_prediction", Fault.drop(after_handling=True))
    second = create(client, mode, {"input": {"same": 2}})
    assert second.id != first.id
    assert predictkit_server.prediction_count() == 2


def test_a_version_mismatch_is_not_a_match(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    with Client(predictkit_server.token, predictkit_server.url) as other:
        other.predictions.create({"input": {"v": 1}}, model="demo/echo:1")
    predictkit_server.inject("create_prediction", Fault.status(500))
    if mode == "sync":
        p = client.predictions.create({"input": {"v": 1}}, model="demo/echo:2")
    else:
        p = asyncio.run(client.predictions.async_create({"input": {"v": 1}}, model="demo/echo:2"))
    assert p.model.version_number == 2
    assert predictkit_server.prediction_count() == 2
    assert sent(predictkit_server, "create_prediction") == 3  # theirs, ours lost, ours again


def test_the_retry_failing_too_raises_and_creates_nothing(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_prediction", Fault.status(500), times=2)
    with pytest.raises(CreateOutcomeUnknownError) as caught:
        create(client, mode, {"input": {}})
    error = caught.value
    # Both sends are counted, and the one line a user (or the CLI) shows says it was sent again:
    # it once read "it was not retried... (1 attempt)" after two POSTs.
    assert error.attempts == 2
    assert error.status_code == 500
    assert "not retried" not in str(error)
    assert "sent it once more" in str(error)
    assert str(error).endswith(" 2 attempts)")
    assert predictkit_server.prediction_count() == 0
    assert sent(predictkit_server, "create_prediction") == 2


def test_the_same_idempotency_key_is_sent_on_the_retry(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_prediction", Fault.status(500))
    client.predictions.create({"input": {}}, model="demo/echo")
    keys = [
        r.headers.get("idempotency-key")
        for r in predictkit_server.requests
        if r.operation_id == "create_prediction"
    ]
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]
