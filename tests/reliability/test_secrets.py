"""No secret leaks, whatever goes wrong (issue 10, "Secrets").

A faulty workload — retries, drops, truncated bodies, HTML errors, rate limits, timeouts, a cut
stream, a wrong token, a forged webhook — runs sync and async with a recognisable token and
webhook secret. Every log record at every level (predictkit, httpx, httpcore, uvicorn, the
root), every exception's message, repr, fields and formatted traceback, and the repr of every
object reachable from the client and the results must be free of both secrets.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from predictkit import Client, PredictKitError, Webhook
from predictkit.testing import Fault, WebhookReceiver
from predictkit.testing._server import ReferenceServer
from predictkit.webhooks import verify_webhook

TOKEN = "pk-SECRET-TOKEN-3c9f1a7e"
WRONG_TOKEN = "pk-SECRET-WRONG-8b2d4e6f"
WEBHOOK_SECRET = "whsec-SECRET-5e7a9c1d"
SECRETS = (TOKEN, WRONG_TOKEN, WEBHOOK_SECRET, "SECRET-")


class _Everything(logging.Handler):
    """Keeps every record, formatted with its traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))


@pytest.fixture
def captured() -> Iterator[_Everything]:
    handler = _Everything()
    names = ["", "predictkit", "httpx", "httpcore", "uvicorn", "uvicorn.error", "uvicorn.access"]
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer(token=TOKEN, webhook_backoff=0.01) as srv:
        yield srv


def _reprs(root: object, seen: set[int], depth: int = 0) -> Iterator[str]:
    """repr() of ``root`` and of every predictkit object, list and dict reachable from it.

    Bare strings are not repr'd on their own (the client must hold its token somewhere); any
    container or object that shows one is caught through its own repr."""
    if id(root) in seen or depth > 6 or isinstance(root, str | bytes | int | float | type(None)):
        return
    seen.add(id(root))
    yield repr(root)
    children: list[Any] = []
    if isinstance(root, dict):
        children = list(root.values())
    elif isinstance(root, list | tuple | set | frozenset):
        children = list(root)
    elif type(root).__module__.startswith(("predictkit", "predictkit_api")):
        slots = getattr(type(root), "__slots__", ())
        children = [getattr(root, s, None) for s in slots]
        children += list(getattr(root, "__dict__", {}).values())
    for child in children:
        yield from _reprs(child, seen, depth + 1)


def _exception_texts(exc: BaseException) -> Iterator[str]:
    yield str(exc)
    yield repr(exc)
    yield "".join(traceback.format_exception(exc))
    yield from (repr(v) for v in vars(exc).values())


def _workload(
    server: ReferenceServer, receiver: WebhookReceiver
) -> tuple[list[Any], list[BaseException]]:
    """Calls that succeed and calls that fail, sync; returns the results and the errors."""
    results: list[Any] = []
    errors: list[BaseException] = []

    def attempt(call: Callable[[], Any]) -> None:
        try:
            results.append(call())
        except PredictKitError as exc:
            errors.append(exc)

    hook: Webhook = {"url": receiver.url, "secret": WEBHOOK_SECRET}
    with Client(TOKEN, server.url, timeout=0.5) as client:
        results.append(client)
        attempt(
            lambda: client.predictions.create(
                {"input": {"x": 1}, "webhook": hook}, model="demo/echo", wait=True
            )
        )
        created = results[-1]
        server.inject("get_prediction", Fault.status(500), times=5)
        attempt(lambda: client.predictions.get(created.id))
        server.inject("get_prediction", Fault.truncated(), times=5)
        attempt(lambda: client.predictions.get(created.id))
        server.inject("list_predictions", Fault.html(502), times=5)
        attempt(client.predictions.list)
        server.inject("list_predictions", Fault.status(429, retry_after=0.01))
        attempt(lambda: list(client.predictions.list(limit=3)))
        server.inject("create_prediction", Fault.drop(after_handling=True))
        attempt(
            lambda: client.predictions.create(
                {"input": {"y": 2}, "webhook": hook}, model="demo/echo"
            )
        )
        server.inject("get_prediction", Fault.delay(3), times=5)
        attempt(lambda: client.predictions.get(created.id))
        server.inject("stream_prediction", Fault.cut_stream(1))
        attempt(lambda: list(client.predictions.stream(created.id)))
        attempt(lambda: client.predictions.cancel(created.id))
        attempt(lambda: client.predictions.poller(created.id))
        attempt(lambda: client.with_options(max_retries=0))
        server.clear_faults()
    with Client(WRONG_TOKEN, server.url) as wrong:
        results.append(wrong)
        attempt(lambda: wrong.predictions.get(created.id))
    for headers, body in receiver.wait_for(1, timeout=30):
        results.append(verify_webhook(body, headers, WEBHOOK_SECRET))
        attempt(functools.partial(verify_webhook, body, headers, "whsec-other"))
        attempt(functools.partial(verify_webhook, body + b" ", headers, WEBHOOK_SECRET))
    return results, errors


async def _async_workload(server: ReferenceServer) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    errors: list[BaseException] = []
    async with Client(TOKEN, server.url, timeout=0.5) as client:
        created = await client.predictions.async_create({"input": {"a": 1}}, model="demo/echo")
        results.append(created)
        for fault in (Fault.status(503), Fault.drop(), Fault.delay(3)):
            server.inject("get_prediction", fault, times=5)
            try:
                await client.predictions.async_get(created.id)
            except PredictKitError as exc:
                errors.append(exc)
        server.clear_faults()
        results.append(await client.predictions.async_wait(created.id))
    return results, errors


def _leaks(texts: list[str]) -> list[str]:
    return [t[:300] for t in texts if any(s in t for s in SECRETS)]


def test_no_secret_in_logs_errors_or_reprs(server: ReferenceServer, captured: _Everything) -> None:
    with WebhookReceiver() as receiver:
        results, errors = _workload(server, receiver)
    more_results, more_errors = asyncio.run(_async_workload(server))
    results += more_results
    errors += more_errors

    # The workload really went wrong in the ways it meant to, and really logged.
    kinds = {type(e).__name__ for e in errors}
    assert {"ServerError", "AuthenticationError", "WebhookVerificationError"} <= kinds, kinds
    assert len(errors) >= 8
    assert len(captured.texts) > 50

    texts = list(captured.texts)
    for exc in errors:
        texts += _exception_texts(exc)
    seen: set[int] = set()
    for result in results:
        texts += _reprs(result, seen)
    assert _leaks(texts) == []


def test_the_check_catches_a_leak(captured: _Everything) -> None:
    """The capture works: a token logged by mistake is found."""
    logging.getLogger("httpcore").debug("header %s", TOKEN)
    assert _leaks(captured.texts)
