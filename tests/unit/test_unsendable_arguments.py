"""Arguments httpx cannot turn into a request raise InvalidInputError and send nothing, on every
resource (found by the h24 review): a body json cannot encode (NaN, a set) was a bare
ValueError/TypeError, a query too long for a URL httpx's untyped InvalidURL, a non-ASCII
``extra_headers`` value a UnicodeEncodeError, and a line break in one an APIConnectionError
pointing at ``Client(headers=...)``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from predictkit import Client, InvalidInputError


def client_and_log() -> tuple[Client, list[str]]:
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(500)

    client = Client(
        access_token="tok_unsendable-0123",
        api_base_url="https://api.test/v1",
        transport=httpx.MockTransport(record),
        async_transport=httpx.MockTransport(record),
        max_retries=0,
    )
    return client, seen


CASES: dict[str, Callable[[Any, str], Any]] = {
    "nan-body": lambda c, p: getattr(c.authenticated_user, f"{p}update")(bio=float("nan")),
    "set-body": lambda c, p: getattr(c.models, f"{p}update")("acme/echo", description={1}),
    "huge-query": lambda c, p: getattr(c.search, f"{p}models")(q="x" * 100_000),
    "non-ascii-header": lambda c, p: getattr(c.models, f"{p}get")(
        "acme/echo", extra_headers={"X-Trace": "caf\u00e9"}
    ),
    "line-break-header": lambda c, p: getattr(c.models, f"{p}get")(
        "acme/echo", extra_headers={"X-Trace": "a\r\nX-Evil: 1"}
    ),
}

SAID = {  # what the message starts with: the request and the kind of failure, or the header
    "nan-body": "PATCH /user was not sent: its arguments cannot form a request (ValueError).",
    "set-body": "PATCH /models/acme/echo was not sent: its arguments cannot form a request "
    "(TypeError).",
    "huge-query": "GET /search/models was not sent: its arguments cannot form a request "
    "(InvalidURL).",
    "non-ascii-header": "extra_headers['X-Trace'] has a name or value httpx cannot send",
    "line-break-header": "extra_headers['X-Trace'] has a name or value httpx cannot send",
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_an_unsendable_argument_is_invalid_input_and_nothing_is_sent(mode: str, case: str) -> None:
    client, seen = client_and_log()
    with client, pytest.raises(InvalidInputError) as info:
        if mode == "sync":
            result = CASES[case](client, "")
            if not isinstance(result, dict | type(None)) and hasattr(result, "__iter__"):
                list(result)
        else:

            async def run() -> None:
                result = CASES[case](client, "async_")
                if hasattr(result, "__aiter__"):
                    [item async for item in result]
                else:
                    await result

            asyncio.run(run())
    assert seen == []
    assert str(info.value).startswith(SAID[case])
    assert "caf" not in str(info.value)  # a header value is never quoted
    assert "X-Evil" not in str(info.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("name", ["..", ".", ""])
def test_a_name_that_would_address_another_path_is_refused(mode: str, name: str) -> None:
    """httpx resolves dot segments, so users.get("..") sent GET /v1 and
    uploads.complete("..", ...) POST /v1/complete; an empty name got the server's 307."""
    client, seen = client_and_log()
    calls: list[tuple[str, Callable[[str], Any]]] = [
        ("GET", lambda p: getattr(client.users, f"{p}get")(name)),
        ("DELETE", lambda p: getattr(client.variables, f"{p}delete")(name)),
        ("POST", lambda p: getattr(client.uploads, f"{p}complete")(name, etags=["e"])),
    ]
    with client:
        for method, call in calls:
            said = f"^{method} /\\S* was not sent: .*another path"
            with pytest.raises(InvalidInputError, match=said):
                if mode == "sync":
                    call("")
                else:
                    asyncio.run(call("async_"))
    assert seen == []
