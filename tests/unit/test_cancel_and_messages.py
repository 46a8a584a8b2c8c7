"""Idempotent cancel for every status the API may use for "already ended", and the messages a
newcomer reads (issue 8, items 3 and 10), over mocked transports: these are the answers the
reference server cannot give (it refuses with 409 only, and always speaks JSON)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from predictkit import (
    APIStatusError,
    BadRequestError,
    Client,
    ConflictError,
    CreateOutcomeUnknownError,
    InvalidInputTypeError,
    ModelRef,
    NotFoundError,
    PredictionWithIO,
    ServerError,
    ValidationError,
    WaitOptions,
)
from predictkit.waiting import Cancel, Fetch, Notify, Sleep, wait_policy

from ._bodies import PID, prediction_body

TOKEN = "tok_S3cr3t-Value-1234567890"


def body(status: str, **extra: Any) -> dict[str, Any]:
    return prediction_body(status, **extra)


Handler = Callable[[httpx.Request], httpx.Response]


class Mock:
    """A Client over a scripted transport (sync and async share the script and the log)."""

    def __init__(self, handler: Handler, base: str = "https://api.test/v1", **kw: Any) -> None:
        self.seen: list[str] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.seen.append(f"{request.method} {request.url.path}")
            return handler(request)

        self.client = Client(
            access_token=TOKEN,
            api_base_url=base,
            transport=httpx.MockTransport(record),
            async_transport=httpx.MockTransport(record),
            **kw,
        )

    def call(self, mode: str, name: str, *args: Any, **kwargs: Any) -> Any:
        predictions = self.client.predictions
        if mode == "sync":
            return getattr(predictions, name)(*args, **kwargs)

        async def run() -> Any:
            return await getattr(predictions, f"async_{name}")(*args, **kwargs)

        return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def refusing(code: int, then_status: str) -> Handler:
    """Cancel is refused with ``code``; the prediction then reads as ``then_status``."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cancel"):
            detail: Any = "Prediction has already finished."
            if code == 422:
                detail = [{"loc": ["path"], "msg": "already ended", "type": "state"}]
            return httpx.Response(code, json={"detail": detail})
        return httpx.Response(200, json=body(then_status))

    return handle


# --- item 3: idempotent cancel -------------------------------------------------------------------


@pytest.mark.parametrize("code", [400, 409, 422])
@pytest.mark.parametrize("ended", ["succeeded", "failed", "cancelled", "abandoned"])
def test_cancel_of_an_ended_prediction_returns_as_a_successful_cancel(
    mode: str, code: int, ended: str
) -> None:
    mock = Mock(refusing(code, ended))
    assert mock.call(mode, "cancel", PID) is None
    assert mock.seen == [f"POST /v1/predictions/{PID}/cancel", f"GET /v1/predictions/{PID}"]


@pytest.mark.parametrize(
    ("code", "error"), [(400, BadRequestError), (409, ConflictError), (422, ValidationError)]
)
def test_a_refusal_for_a_prediction_still_running_means_something_else_and_stands(
    mode: str, code: int, error: type[Exception]
) -> None:
    mock = Mock(refusing(code, "started"))
    with pytest.raises(error) as info:
        mock.call(mode, "cancel", PID)
    assert getattr(info.value, "status_code", None) == code


@pytest.mark.parametrize("code", [401, 403, 404, 500])
def test_other_refusals_are_raised_without_looking(mode: str, code: int) -> None:
    mock = Mock(refusing(code, "succeeded"), max_retries=0)
    with pytest.raises(APIStatusError) as info:
        mock.call(mode, "cancel", PID)
    assert info.value.status_code == code
    assert mock.seen == [f"POST /v1/predictions/{PID}/cancel"]


def test_a_refusal_that_cannot_be_checked_stands_with_a_note(mode: str) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cancel"):
            return httpx.Response(409, json={"detail": "no"})
        return httpx.Response(503)

    mock = Mock(handle, max_retries=0)
    with pytest.raises(ConflictError) as info:
        mock.call(mode, "cancel", PID)
    notes = getattr(info.value, "__notes__", [])
    assert any("could not read the prediction" in note for note in notes)
    assert isinstance(info.value.__cause__, ServerError)


def test_cancel_on_timeout_that_finds_the_prediction_ended_returns_it(mode: str) -> None:
    """The wait's deadline passes while the prediction ends: the cancel is refused, and the wait
    returns the ended prediction rather than a timeout claiming it still runs."""
    reads = iter(["started", "succeeded"])

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cancel"):
            return httpx.Response(409, json={"detail": "Prediction has already finished."})
        if request.url.path.endswith("/stream"):  # a wait by id listens first: no stream here
            return httpx.Response(404, json={"detail": "Not found."})
        status = next(reads, "succeeded")
        if status == "started":  # answer only once the 1 ms deadline has surely passed
            passed = time.monotonic() + 0.002
            while time.monotonic() < passed:  # bounded: ends within 2 ms of clock time
                pass
        return httpx.Response(200, json=body(status, stream=False))

    mock = Mock(handle)
    final = mock.call(mode, "wait", PID, WaitOptions(timeout=0.001), cancel_on_timeout=True)
    assert final.status == "succeeded"
    assert f"POST /v1/predictions/{PID}/cancel" in mock.seen
    # read as started, the deadline passed, the cancel was refused: the read after it is returned
    get = f"GET /v1/predictions/{PID}"
    assert mock.seen[-3:] == [get, f"POST /v1/predictions/{PID}/cancel", get]


# --- item 10: messages ---------------------------------------------------------------------------


def test_final_errors_say_how_many_attempts_were_made(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda s: None)

    async def no_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr("predictkit._aio.sleep", no_sleep)
    mock = Mock(lambda r: httpx.Response(503, headers={"retry-after": "0"}), max_retries=2)
    with pytest.raises(ServerError) as info:
        mock.call(mode, "get", PID)
    assert info.value.attempts == 3
    assert "3 attempts" in str(info.value)
    single = Mock(lambda r: httpx.Response(404, json={"detail": "Prediction not found."}))
    with pytest.raises(NotFoundError) as info404:
        single.call(mode, "get", PID)
    assert "1 attempt)" in str(info404.value)


def test_an_unknown_create_outcome_does_not_claim_it_was_retried(mode: str) -> None:
    # Reconciliation off: this is about the message of the error itself.
    mock = Mock(lambda r: httpx.Response(503, json={"detail": "down"}), reconcile_window=0)
    with pytest.raises(CreateOutcomeUnknownError) as info:
        mock.call(mode, "create", {"input": {}}, model="acme/echo")
    text = str(info.value)
    assert "not retried" in text
    assert "retried where safe" not in text
    assert "1 attempt" in text
    assert mock.seen == ["POST /v1/predictions"]


def test_a_404_under_a_base_url_without_v1_says_what_is_wrong(mode: str) -> None:
    mock = Mock(
        lambda r: httpx.Response(404, json={"detail": "Not Found"}), base="https://api.test"
    )
    with pytest.raises(NotFoundError) as info:
        mock.call(mode, "get", PID)
    assert "does not end in /v1" in str(info.value)
    assert "'https://api.test/v1'" in str(info.value)
    right = Mock(lambda r: httpx.Response(404, json={"detail": "Prediction not found."}))
    with pytest.raises(NotFoundError) as info_right:
        right.call(mode, "get", PID)
    assert "/v1" not in info_right.value.message.partition("failed")[2]


def test_a_model_404_names_the_model(mode: str) -> None:
    mock = Mock(lambda r: httpx.Response(404, json={"detail": "Model not found."}))
    with pytest.raises(NotFoundError) as info:
        mock.call(mode, "create", {"input": {}}, model="acme/nope:7")
    assert "'acme/nope:7'" in str(info.value)
    assert "Model not found." in str(info.value)


def test_swapped_create_arguments_are_named(mode: str) -> None:
    mock = Mock(lambda r: httpx.Response(500))
    for model in ("acme/echo", ModelRef("acme", "echo", 2)):
        with pytest.raises(InvalidInputTypeError, match="swapped") as info:
            mock.call(mode, "create", model, {"input": {"prompt": "hi"}})
        assert f"model={str(model)!r}" in str(info.value)
    assert mock.seen == []


@pytest.mark.parametrize("version", [10**9, 10**30, 0, -1])
def test_model_ref_construction_validates_like_parse(version: int) -> None:
    with pytest.raises(ValueError, match="version"):
        ModelRef("a", "b", version)
    assert str(ModelRef("a", "b", 10**9 - 1)) == "a/b:999999999"
    assert ModelRef.parse(str(ModelRef("a", "b", 10**9 - 1))) == ModelRef("a", "b", 10**9 - 1)


def sse(*events: tuple[str, str]) -> bytes:
    return "".join(
        f"id: {i}\nevent: {name}\ndata: {data}\n\n" for i, (name, data) in enumerate(events)
    ).encode()


def test_a_non_json_stream_event_makes_a_wait_poll_instead_of_failing(mode: str) -> None:
    """The server cannot send this (it always speaks JSON); a hostile or broken proxy can."""
    reads: Iterator[str] = iter(["started", "started", "succeeded"])

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stream"):
            return httpx.Response(
                200,
                content=sse(("output", "not json {")),
                headers={"content-type": "text/event-stream"},
            )
        return httpx.Response(200, json=body(next(reads, "succeeded"), stream=True))

    mock = Mock(handle)
    final = mock.call(mode, "wait", PID, WaitOptions(poll_interval=0.01, timeout=30))
    assert final.status == "succeeded"
    assert mock.seen.count(f"GET /v1/predictions/{PID}/stream") == 1
    assert mock.seen[-1] == f"GET /v1/predictions/{PID}"


def test_request_bodies_are_json(mode: str) -> None:
    """Guard for the helpers above: the create the mock saw was the documented JSON body."""
    sent: list[Any] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(201, json=body("starting"))

    Mock(handle).call(mode, "create", {"input": {"a": 1}}, model="acme/echo")
    assert sent == [{"model": "acme/echo", "input": {"a": 1}}]


def test_the_wait_policy_returns_the_prediction_a_timeout_cancel_found_ended() -> None:
    now = [0.0]
    started = PredictionWithIO.from_dict(body("started"))
    ended = PredictionWithIO.from_dict(body("succeeded"))
    policy = wait_policy(
        started, WaitOptions(timeout=1), cancel_on_timeout=True, clock=lambda: now[0]
    )
    assert isinstance(next(policy), Notify)
    assert isinstance(policy.send(None), Sleep)
    now[0] = 5.0
    assert isinstance(policy.send(None), Fetch)
    assert isinstance(policy.send(started), Cancel)
    assert isinstance(policy.send(ended), Notify)
    with pytest.raises(StopIteration) as stop:
        policy.send(None)
    assert stop.value.value is ended
