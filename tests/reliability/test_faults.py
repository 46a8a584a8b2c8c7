"""The fault suite: every resource's reads and writes, on real sockets, under the reference
server's faults (tests/reliability/README.md has the table).

For each read: one transient fault (reset before or after the server acts, 500, 502 HTML page,
503 with Retry-After, 429, a truncated body, an answer slower than the timeout, a body dripping
slower than the timeout allows) is retried and the call returns what it returns without the
fault, after exactly one more request; the same fault on every attempt ends in its typed error
after 1 + max_retries attempts; an oversize body is refused at once with ResponseTooLargeError.
For each write that may not be repeated: a fault after sending is never retried (one request,
the server holds at most one new object) and reaches the user as CreateOutcomeUnknownError.
Sync and async alike. Creates of predictions are in test_creates.py, streams below.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from predictkit import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    Client,
    CreateOutcomeUnknownError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
)
from predictkit._http import RetryPolicy
from predictkit.testing import Fault
from predictkit.testing._server import ReferenceServer

TIMEOUT = 2.0
"""The client's timeout here: a delay or drip fault takes longer than this (and a normal answer
on loopback, even on a loaded machine, far less)."""
EVERY_READ_FAULTS = ("reset after the server acts", "502 HTML page", "truncated JSON")
"""Run on every read of every resource; all the faults run on ALL_FAULT_READS (the sender is
shared, so the rest would repeat the same path at a whole TIMEOUT per slow case)."""
ALL_FAULT_READS = ("models.get", "predictions.list", "hardware.list")

# (name, operation id, call) for one read of every resource. A call gets the client and the
# mode, and returns a comparable value (ids, names), so a retried answer can be checked equal.
Read = Callable[[Client, str], Any]


def run(mode: str, sync: Callable[[], Any], async_: Callable[[], Awaitable[Any]]) -> Any:
    return sync() if mode == "sync" else asyncio.run(_awaited(async_))


async def _awaited(make: Callable[[], Awaitable[Any]]) -> Any:
    return await make()


def first_page(mode: str, path: str, *args: Any, **kwargs: Any) -> Callable[[Client], Any]:
    """A list read: the first page's item ids (or names)."""

    def call(client: Client) -> Any:
        *where, name = path.split(".")
        target: Any = client
        for part in where:
            target = getattr(target, part)
        if mode == "sync":
            page = getattr(target, name)(*args, **kwargs)
        else:
            page = asyncio.run(_awaited(lambda: getattr(target, f"async_{name}")(*args, **kwargs)))
        return [_key(item) for item in page.items]

    return call


def one(mode: str, path: str, *args: Any) -> Callable[[Client], Any]:
    def call(client: Client) -> Any:
        *where, name = path.split(".")
        target: Any = client
        for part in where:
            target = getattr(target, part)
        method = getattr(target, name if mode == "sync" else f"async_{name}")
        result = method(*args) if mode == "sync" else asyncio.run(_awaited(lambda: method(*args)))
        return _key(result)

    return call


def _key(item: Any) -> Any:
    for field in ("id", "name", "slug", "number", "version_number"):
        value = getattr(item, field, None)
        if value is not None:
            return value
    return item.to_dict()


READS: dict[str, tuple[str, str, tuple[Any, ...], bool]] = {
    # name: (operation id, client path, args, is a list)
    "predictions.list": ("list_predictions", "predictions.list", (), True),
    "models.list": ("list_models", "models.list", (), True),
    "models.get": ("get_model", "models.get", ("demo/echo",), False),
    "models.list_owner": ("list_owner_models", "models.list_owner", ("demo",), True),
    "versions.list": ("list_model_versions", "models.versions.list", ("lena/chat",), True),
    "versions.get": ("get_model_version", "models.versions.get", ("lena/chat:2",), False),
    "versions.get_configuration": (
        "get_model_version_configuration",
        "models.versions.get_configuration",
        ("demo/echo:1",),
        False,
    ),
    "users.list": ("list_users", "users.list", (), True),
    "users.get": ("get_user", "users.get", ("lena",), False),
    "me.get": ("get_authenticated_user", "authenticated_user.get", (), False),
    "me.list_models": (
        "list_authenticated_user_models",
        "authenticated_user.list_models",
        (),
        True,
    ),
    "hardware.list": ("list_hardware", "hardware.list", (), True),
    "categories.list": ("list_model_categories", "model_categories.list", (), True),
    "search.models": ("search_models", "search.models", ({"q": "echo"},), True),
    "search.users": ("search_users", "search.users", ({"q": "le"},), True),
    "variables.list": ("list_variables", "variables.list", (), True),
}

TRANSIENT: dict[str, Fault] = {
    "reset before the server acts": Fault.drop(),
    "reset after the server acts": Fault.drop(after_handling=True),
    "500": Fault.status(500),
    "502 HTML page": Fault.html(502),
    "503 + Retry-After": Fault.status(503, retry_after=0.01),
    "429": Fault.status(429, retry_after=0),
    "truncated JSON": Fault.truncated(),
    "slower than the timeout": Fault.delay(TIMEOUT * 5),
    "drip slower than the timeout": Fault.drip(0.5),
}

FINAL_ERROR: dict[str, type[Exception]] = {
    "reset before the server acts": APIConnectionError,
    "reset after the server acts": APIConnectionError,
    "500": ServerError,
    "502 HTML page": ServerError,
    "503 + Retry-After": ServerError,
    "429": RateLimitError,
    "truncated JSON": APIConnectionError,
    "slower than the timeout": APITimeoutError,
    "drip slower than the timeout": APITimeoutError,
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries back off 10 ms instead of 0.5 s and up: the suite checks what is retried, not how
    long the client waits (a server's Retry-After is still honoured as sent: see below)."""
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt: 0.01)


@pytest.fixture
def client(predictkit_server: ReferenceServer) -> Iterator[Client]:
    with Client(
        predictkit_server.token, predictkit_server.url, timeout=TIMEOUT, max_retries=2
    ) as c:
        yield c


def _reader(mode: str, name: str) -> tuple[str, Callable[[Client], Any]]:
    """The operation id and a call; a dict among the args is keyword arguments."""
    operation, path, args, listing = READS[name]
    if listing:
        kwargs = next((a for a in args if isinstance(a, dict)), {})
        plain = tuple(a for a in args if not isinstance(a, dict))
        return operation, first_page(mode, path, *plain, **kwargs)
    return operation, one(mode, path, *args)


def _sent(server: ReferenceServer, operation: str) -> int:
    return sum(1 for r in server.requests if r.operation_id == operation)


CASES = [
    (read, fault)
    for read in sorted(READS)
    for fault in sorted(TRANSIENT)
    if fault in EVERY_READ_FAULTS or read in ALL_FAULT_READS
]


@pytest.mark.parametrize(("read", "fault_name"), CASES)
def test_a_transient_fault_on_a_read_is_retried_to_the_same_answer(
    read: str, fault_name: str, mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    operation, call = _reader(mode, read)
    expected = call(client)
    before = _sent(predictkit_server, operation)
    predictkit_server.inject(operation, TRANSIENT[fault_name])
    assert call(client) == expected
    assert _sent(predictkit_server, operation) - before == 2  # the faulty one, then one more


@pytest.mark.parametrize("fault_name", sorted(TRANSIENT))
def test_a_fault_on_every_attempt_ends_in_its_typed_error(
    fault_name: str, mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    # One resource per fault is enough here: the sender is shared (the retried case above
    # covers every resource).
    operation, call = _reader(mode, "models.get")
    predictkit_server.inject(operation, TRANSIENT[fault_name], times=3)
    with pytest.raises(FINAL_ERROR[fault_name]) as caught:
        call(client)
    assert isinstance(caught.value, APIError)
    assert caught.value.attempts == 3
    assert _sent(predictkit_server, operation) == 3


@pytest.mark.parametrize("read", ["models.get", "predictions.list", "hardware.list"])
def test_an_oversize_body_is_refused_at_once(
    read: str, mode: str, predictkit_server: ReferenceServer
) -> None:
    operation, call = _reader(mode, read)
    predictkit_server.inject(operation, Fault.huge_body(4 * 1024 * 1024), times=3)
    with (
        Client(predictkit_server.token, predictkit_server.url, max_response_bytes=1024 * 1024) as c,
        pytest.raises(ResponseTooLargeError) as caught,
    ):
        call(c)
    assert caught.value.limit == 1024 * 1024
    assert _sent(predictkit_server, operation) == 1  # the same request would get the same


def test_retry_after_is_honoured_as_sent(
    client: Client, predictkit_server: ReferenceServer, caplog: pytest.LogCaptureFixture
) -> None:
    predictkit_server.inject("get_model", Fault.status(503, retry_after=0.25))
    with caplog.at_level(logging.INFO, logger="predictkit"):
        client.models.get("demo/echo")
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    assert retries == ["retrying GET /v1/models/demo/echo in 0.25s after 503 (retry 1 of 2)"]


# --- writes that may not be repeated -----------------------------------------------------------

AFTER_SENDING: dict[str, Fault] = {
    "reset after the server acts": Fault.drop(after_handling=True),
    "500 after the server acts": Fault.status(500, after_handling=True),
    "500 before": Fault.status(500),
    "502 HTML page after": Fault.html(502, after_handling=True),
    "truncated JSON": Fault.truncated(),
}


def _variables(server: ReferenceServer, client: Client) -> list[str]:
    return [v.name for v in client.variables.list(limit=1000)]


def _models(client: Client) -> list[str]:
    return [m.name for m in client.authenticated_user.list_models(limit=1000)]


@pytest.mark.parametrize("fault_name", sorted(AFTER_SENDING))
def test_a_variable_create_is_never_repeated(
    fault_name: str, mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    before = _variables(predictkit_server, client)
    predictkit_server.inject("create_variable", AFTER_SENDING[fault_name])
    kwargs: dict[str, Any] = {
        "name": "soak",
        "key": "SOAK",
        "value": "v4lue-not-shown",
        "secret": True,
    }
    with pytest.raises(CreateOutcomeUnknownError) as caught:
        run(
            mode,
            lambda: client.variables.create(**kwargs),
            lambda: client.variables.async_create(**kwargs),
        )
    assert "v4lue-not-shown" not in str(caught.value)
    assert _sent(predictkit_server, "create_variable") == 1
    after = _variables(predictkit_server, client)
    assert len(after) - len(before) in (0, 1)  # never two: at most the one the server made


@pytest.mark.parametrize("fault_name", sorted(AFTER_SENDING))
def test_a_model_create_is_never_repeated(
    fault_name: str, mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    before = _models(client)
    predictkit_server.inject("create_model", AFTER_SENDING[fault_name])
    with pytest.raises(CreateOutcomeUnknownError):
        run(
            mode,
            lambda: client.models.create(name="faulty"),
            lambda: client.models.async_create(name="faulty"),
        )
    assert _sent(predictkit_server, "create_model") == 1
    assert len(_models(client)) - len(before) in (0, 1)


def test_a_write_refused_before_any_work_is_retried(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    # 429 and a reset before the connection was made prove nothing was done: safe to repeat.
    predictkit_server.inject("create_variable", Fault.status(429, retry_after=0))
    kwargs: dict[str, Any] = {"name": "again", "key": "AGAIN", "value": "x", "secret": False}
    created = run(
        mode,
        lambda: client.variables.create(**kwargs),
        lambda: client.variables.async_create(**kwargs),
    )
    assert created.name == "again"
    assert _sent(predictkit_server, "create_variable") == 2
    assert _variables(predictkit_server, client).count("again") == 1


@pytest.mark.parametrize("fault_name", ["500", "reset before the server acts", "429"])
def test_idempotent_writes_are_retried(
    fault_name: str, mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    # Cancel and delete: repeating them is harmless, so transient faults are retried.
    p = client.predictions.create({"input": {"sleep": 30}}, model="demo/echo")
    predictkit_server.inject("cancel_prediction", TRANSIENT[fault_name])
    run(
        mode,
        lambda: client.predictions.cancel(p.id),
        lambda: client.predictions.async_cancel(p.id),
    )
    assert _sent(predictkit_server, "cancel_prediction") == 2
    client.variables.create(name="gone", key="GONE", value="x", secret=False)
    predictkit_server.inject("delete_variable", TRANSIENT[fault_name])
    run(
        mode,
        lambda: client.variables.delete("gone"),
        lambda: client.variables.async_delete("gone"),
    )
    assert "gone" not in _variables(predictkit_server, client)


# --- streams -----------------------------------------------------------------------------------

STREAM_CUTS: dict[str, Fault] = {
    "cut between events": Fault.cut_stream(2),
    "cut inside an event": Fault.cut_stream(2, mid_event=True),
    "cut before any event": Fault.cut_stream(0),
    "reset before the server acts": Fault.drop(),
    "500": Fault.status(500),
}


@pytest.mark.parametrize("cut", sorted(STREAM_CUTS))
def test_a_cut_stream_resumes_without_a_lost_or_repeated_event(
    cut: str, mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    p = client.predictions.create(
        {"input": {"stream": ["a", "b", "c", "d"], "sleep": 0.2}}, model="demo/echo", wait=True
    )
    clean = [(e.id, e.event, e.data) for e in client.predictions.stream(p.id)]
    predictkit_server.inject("stream_prediction", STREAM_CUTS[cut], times=2)

    async def collect() -> list[Any]:
        return [(e.id, e.event, e.data) async for e in client.predictions.async_stream(p.id)]

    got = (
        [(e.id, e.event, e.data) for e in client.predictions.stream(p.id)]
        if mode == "sync"
        else asyncio.run(collect())
    )
    assert got == clean
    assert [e[1] for e in got][-1] == "done"


def test_a_wait_survives_transient_errors_then_fails_with_the_last_prediction(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    from predictkit import WaitOptions, WaitTimeoutError

    p = client.predictions.create({"input": {"sleep": 30, "stream_available": False}}, "demo/echo")
    predictkit_server.inject("get_prediction", Fault.status(503, retry_after=0), times=4)
    options = WaitOptions(poll_interval=0.1, timeout=1.5)
    with pytest.raises(WaitTimeoutError) as caught:
        run(
            mode,
            lambda: client.predictions.wait(p.id, options),
            lambda: client.predictions.async_wait(p.id, options),
        )
    assert caught.value.prediction is not None
    assert caught.value.prediction.id == p.id
    assert caught.value.prediction.status in ("pending", "starting", "started")
    client.predictions.cancel(p.id)


def test_every_error_a_faulty_read_raises_is_typed(
    mode: str, client: Client, predictkit_server: ReferenceServer
) -> None:
    """The typed errors above are the only ones: nothing else escapes any read under any fault."""
    from predictkit import PredictKitError

    escaped = []
    for name in sorted(READS):
        operation, call = _reader(mode, name)
        for fault in (Fault.truncated(), Fault.html(502), Fault.huge_body(2_000_000)):
            predictkit_server.inject(operation, fault, times=3)
            try:
                with Client(
                    predictkit_server.token,
                    predictkit_server.url,
                    max_retries=2,
                    max_response_bytes=1024 * 1024,
                ) as c:
                    call(c)
            except PredictKitError:
                pass
            except Exception as exc:  # the test's point: nothing untyped escapes
                escaped.append(f"{name} {fault.kind}: {exc!r}")
            predictkit_server.clear_faults()
    assert escaped == []
