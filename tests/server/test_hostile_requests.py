"""Requests no correct client sends: each gets a documented JSON 4xx and nothing is stored."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest
from predictkit.testing import ReferenceServer
from predictkit.testing._lifecycle import Prediction, Webhook
from predictkit.testing._prediction_routes import prefer_wait
from predictkit.testing._validation import MAX_DEPTH
from predictkit.testing._webhooks import WebhookDispatcher, is_loopback

from .conftest import create

_DEEP = b'{"model": "demo/echo", "input": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _nested(depth: int) -> bytes:
    """A create body whose input holds ``depth`` levels of arrays (the body adds two objects)."""
    inner = b"[" * depth + b"]" * depth
    return b'{"model": "demo/echo", "input": {"x": ' + inner + b"}}"


@pytest.mark.parametrize(
    "body",
    [
        b'{"model": "demo/echo", "input": {"x": NaN}}',
        b'{"model": "demo/echo", "input": {"x": Infinity}}',
        b'{"model": "demo/echo", "input": {"x": -Infinity}}',
        b'{"model": "demo/echo", "input": {"x": 1e400}}',
        b'{"model": "demo/echo", "input": {"x": "\\ud800"}}',
        b'{"model": "demo/echo", "input": {"\\udfff": 1}}',
        b'{"model": "demo/echo", "input": {"x": ' + b"9" * 5000 + b"}}",
        _DEEP,
        _nested(MAX_DEPTH - 1),
    ],
    ids=[
        "nan",
        "infinity",
        "-infinity",
        "float-overflow",
        "lone-surrogate",
        "surrogate-key",
        "5000-digit-int",
        "100000-deep",
        "just-too-deep",
    ],
)
def test_bodies_that_are_not_storable_json_are_422_and_store_nothing(
    server: ReferenceServer, client: httpx.Client, body: bytes
) -> None:
    response = client.post(
        "/predictions", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"][0]["type"] == "json_invalid"
    assert server.prediction_count() == 0
    assert client.get("/predictions").json()["items"] == []


def test_nesting_up_to_the_limit_is_accepted_and_read_back(client: httpx.Client) -> None:
    response = client.post(
        "/predictions",
        content=_nested(MAX_DEPTH - 2),
        headers={"content-type": "application/json", "prefer": "wait=5"},
    )
    assert response.status_code == 201, response.text
    got = client.get(f"/predictions/{response.json()['id']}")
    assert got.status_code == 200
    assert got.json()["input"] == response.json()["input"]


@pytest.mark.parametrize(
    "model",
    ["demo/echo:" + "1" * 5000, "demo/echo:\u0661", "demo/echo:²", "demo/echo:+1", "demo/echo:1_0"],
    ids=["5000-digits", "arabic-indic-one", "superscript-two", "plus", "underscore"],
)
def test_a_version_is_written_in_ascii_digits(
    server: ReferenceServer, client: httpx.Client, model: str
) -> None:
    response = client.post("/predictions", json={"model": model, "input": {}})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "model"]
    assert server.prediction_count() == 0


@pytest.mark.parametrize("number", ["1" * 5000, "\u0661", "²", "1_0", " 1"])
def test_path_numbers_and_page_sizes_are_ascii_digits(client: httpx.Client, number: str) -> None:
    version = client.get(f"/models/demo/echo/versions/{number}")
    assert version.status_code == 422, version.text
    assert version.json()["detail"][0]["loc"] == ["path", "number"]
    page = client.get("/predictions", params={"page_size": number.replace("1", "9")})
    assert page.status_code == 422, page.text
    assert page.json()["detail"][0]["loc"] == ["query", "page_size"]
    created = client.post(f"/models/demo/echo/versions/{number}/predictions", json={"input": {}})
    assert created.status_code == 422


@pytest.mark.parametrize(
    "cursor",
    [
        "A" * 60_000,
        "W" * 5000,
        _cursor(b'["next", ' + b"[" * 700 + b"]" * 700 + b"]"),  # deep, yet under 1,024 chars
        _cursor(b'["next", [[1]]]'),  # a key that is not ours
        "éé",
    ],
    ids=["60k-chars", "5000-chars", "deep", "list-key", "non-ascii"],
)
def test_bad_cursors_are_422(client: httpx.Client, cursor: str) -> None:
    for path in ("/predictions", "/models", "/users"):
        response = client.get(path, params={"cursor": cursor})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_bad_after_ids_are_422(client: httpx.Client) -> None:
    created = create(client, {})
    for after_id in ("\u0661", "9" * 5000, "-1"):
        response = client.get(f"/predictions/{created['id']}/stream", params={"after_id": after_id})
        assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("wait", (True, None)),
        ("wait=10", (True, 10.0)),
        ("wait=2.5", (True, 2.5)),
        ("wait=1e-05", (True, 1e-05)),
        ('wait="3"', (True, 3.0)),
        ("respond-async, wait=10", (True, 10.0)),
        ("wait=abc", (False, None)),
        ("wait=nan", (False, None)),
        ("wait=inf", (False, None)),
        ("wait=", (False, None)),
        ("wait=-1", (False, None)),
        ("wait=\u0661", (False, None)),
        ("wait=abc, wait=4", (True, 4.0)),
        ("respond-async", (False, None)),
    ],
)
def test_an_invalid_wait_preference_is_ignored(
    header: str, expected: tuple[bool, float | None]
) -> None:
    assert prefer_wait(header) == expected


@pytest.mark.parametrize("prefer", ["wait=abc", "wait=nan", "wait="])
def test_an_invalid_wait_answers_at_once(client: httpx.Client, prefer: str) -> None:
    # No await separates creating the task from answering without a wait: the snapshot is the
    # pending one, whereas any wait would let the (instant) prediction finish first.
    assert create(client, {}, prefer=prefer)["status"] == "pending"
    assert create(client, {}, prefer="wait")["status"] == "succeeded"


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/hook", True),
        ("http://127.5.6.7/hook", True),
        ("http://localhost/hook", True),
        ("http://LOCALHOST:1/hook", True),
        ("http://[::1]:9/hook", True),
        ("https://example.com/hook", False),
        ("http://10.0.0.5/hook", False),
        ("http://192.0.2.1/hook", False),
        ("http://127.0.0.1.example.com/hook", False),
        ("http://localhost.example.com/hook", False),
        ("http://[::ffff:10.0.0.1]/hook", False),
    ],
)
def test_loopback_is_judged_from_the_url_alone(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


async def _attempts(url: str, *, allow_remote: bool) -> list[str]:
    """URLs the dispatcher posts to for one finished prediction with ``url`` as its webhook."""
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(str(request.url))
        return httpx.Response(200)

    spawned: list[object] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        dispatcher = WebhookDispatcher(
            http, spawned.append, retries=0, backoff=0.0, allow_remote=allow_remote
        )
        prediction = Prediction(
            id="p1",
            seq=1,
            owner="demo",
            name="echo",
            version_number=1,
            input={},
            webhook=Webhook(url, None),
            stream_available=True,
            on_change=dispatcher.enqueue,
            status="succeeded",
        )
        dispatcher.enqueue(prediction)
        for sender in spawned:
            await sender  # type: ignore[misc]
    return attempts


def test_webhooks_go_only_to_loopback_by_default() -> None:
    assert asyncio.run(_attempts("https://example.com/hook", allow_remote=False)) == []
    assert asyncio.run(_attempts("http://10.0.0.5/hook", allow_remote=False)) == []
    local = "http://127.0.0.1:9/hook"
    assert asyncio.run(_attempts(local, allow_remote=False)) == [local]
    remote = "https://example.com/hook"
    assert asyncio.run(_attempts(remote, allow_remote=True)) == [remote]


def test_a_prediction_with_a_remote_webhook_is_still_created(client: httpx.Client) -> None:
    body = create(client, {}, prefer="wait=5", webhook={"url": "https://example.com/hook"})
    assert body["status"] == "succeeded"


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/hook", "http://[::1/hook"])
def test_a_webhook_url_nothing_could_be_sent_to_is_422(
    server: ReferenceServer, client: httpx.Client, url: str
) -> None:
    response = client.post(
        "/predictions", json={"model": "demo/echo", "input": {}, "webhook": {"url": url}}
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "webhook", "url"]
    assert server.prediction_count() == 0
