"""The earlier SDK's surface, end to end against the reference server, sync and async."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import pytest
from predictkit import (
    AsyncWaitOptions,
    ModelRef,
    NotFoundError,
    PredictionWithIO,
    Status,
    ValidationError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit.predictions import PaginatedResponse
from predictkit.testing import ReferenceServer

from .conftest import Api, paths


def test_create_returns_pending_then_wait_returns_succeeded(api: Api) -> None:
    created = api("create", {"input": {"prompt": "hello"}}, model="demo/echo")
    assert isinstance(created, PredictionWithIO)
    assert created.status == Status.pending
    assert created.output is None

    final = api("wait", created.id)
    assert final.id == created.id
    assert final.status == "succeeded"
    assert final.output == {"prompt": "hello"}
    assert final.error is None
    assert final.to_dict()["input"] == {"prompt": "hello"}


def test_model_reference_picks_the_version(api: Api) -> None:
    latest = api("create", {"input": {}}, model="demo/echo", wait=True)
    pinned = api("create", {"input": {}}, model=ModelRef.parse("demo/echo:1"), wait=True)
    assert (latest.model.owner, latest.model.name, latest.model.version_number) == (
        "demo",
        "echo",
        2,
    )
    assert pinned.model.version_number == 1


@pytest.mark.parametrize(
    "bad", ["demo", "demo/echo/1", "demo/echo:one", "demo/echo:0", " demo/echo", "demo/ec%2Fho"]
)
def test_invalid_model_reference_is_rejected_before_sending(
    api: Api, predictkit_server: ReferenceServer, bad: str
) -> None:
    with pytest.raises(ValueError, match="owner/name"):
        api("create", {"input": {}}, model=bad)
    assert predictkit_server.requests == []


def test_create_with_wait_asks_the_server_first(
    api: Api, predictkit_server: ReferenceServer
) -> None:
    p = api("create", {"input": {"sleep": 0.05}}, model="demo/echo", wait=True)
    assert p.status == "succeeded"
    creates = [r for r in predictkit_server.requests if r.operation_id == "create_prediction"]
    assert len(creates) == 1
    assert creates[0].headers["prefer"] == "wait=60"
    # The server held the response until the end: no client-side polling was needed.
    assert paths(predictkit_server, "get_prediction") == []


def test_create_with_wait_falls_back_to_the_client_loop_past_the_server_ceiling(api: Api) -> None:
    with ReferenceServer(wait_ceiling=0.05) as server:
        client_api = Api(
            type(api.client)(access_token=server.token, api_base_url=server.url), api.mode
        )
        try:
            p = client_api("create", {"input": {"sleep": 0.4}}, model="demo/echo", wait=True)
            assert p.status == "succeeded"
            operations = [r.operation_id for r in server.requests]
            assert operations[0] == "create_prediction"
            assert "get_prediction" in operations
            # Bounded: this server also closes idle streams at its 0.05 s ceiling, so after a
            # few quiet stream rounds the wait falls back to polling with backoff.
            assert len(operations) <= 12, operations
        finally:
            client_api.client.close()


def test_wait_timeout_carries_the_last_prediction(api: Api) -> None:
    created = api("create", {"input": {"sleep": 30}}, model="demo/echo")
    with pytest.raises(WaitTimeoutError) as caught:
        api("wait", created.id, WaitOptions(timeout=0.3))
    err = caught.value
    assert err.prediction_id == created.id
    assert err.prediction is not None and err.prediction.id == created.id
    assert err.prediction.status in ("pending", "starting", "started")
    assert err.cancelled is False
    assert str(created.id) in str(err)
    assert api("get", created.id).status in ("pending", "starting", "started")
    api("cancel", created.id)


def test_wait_cancel_on_timeout_cancels_the_remote_prediction(api: Api) -> None:
    created = api("create", {"input": {"sleep": 30}}, model="demo/echo")
    with pytest.raises(WaitTimeoutError) as caught:
        api("wait", created.id, WaitOptions(timeout=0.2), cancel_on_timeout=True)
    assert caught.value.cancelled is True
    assert api("wait", created.id, WaitOptions(timeout=10)).status == "cancelled"


def test_create_wait_timeout_counts_from_the_create_call(api: Api) -> None:
    with pytest.raises(WaitTimeoutError) as caught:
        api(
            "create",
            {"input": {"sleep": 30}},
            model="demo/echo",
            wait=True,
            wait_options=WaitOptions(timeout=0.3),
        )
    assert caught.value.prediction is not None
    assert caught.value.prediction.status != "succeeded"
    api("cancel", caught.value.prediction_id)


def test_on_poll_sees_every_status_change_once(api: Api) -> None:
    seen: list[str] = []
    created = api("create", {"input": {"sleep": 0.2}}, model="demo/echo")
    final = api(
        "wait", created.id, WaitOptions(poll_interval=0.05, on_poll=lambda p: seen.append(p.status))
    )
    assert final.status == "succeeded"
    assert seen[-1] == "succeeded"
    assert all(a != b for a, b in itertools.pairwise(seen)), seen
    order = ["pending", "starting", "started", "succeeded"]
    assert [order.index(s) for s in seen] == sorted(order.index(s) for s in seen)


def test_async_wait_options_await_the_callback(
    client: object, predictkit_server: ReferenceServer
) -> None:
    import asyncio

    from predictkit import Client

    assert isinstance(client, Client)
    seen: list[str] = []

    async def on_poll(p: PredictionWithIO) -> None:
        await asyncio.sleep(0)
        seen.append(p.status)

    async def main() -> PredictionWithIO:
        return await client.predictions.async_create(
            {"input": {"sleep": 0.1}},
            model="demo/echo",
            wait=True,
            wait_options=AsyncWaitOptions(on_poll=on_poll),
        )

    assert asyncio.run(main()).status == "succeeded"
    assert seen == ["succeeded"]  # the server's long wait returned the final state directly


def test_failed_prediction_has_a_task_error(api: Api) -> None:
    p = api(
        "create",
        {"input": {"fail": "out of memory", "fail_source": "internal"}},
        model="demo/echo",
        wait=True,
    )
    assert p.status == Status.failed
    assert p.error is not None
    assert (p.error.source, p.error.message) == ("internal", "out of memory")
    assert p.output is None


def test_validate_input_gets_the_detail_list(api: Api, predictkit_server: ReferenceServer) -> None:
    with pytest.raises(ValidationError) as caught:
        api("create", {"input": {"prompt": 3}, "validate_input": True}, model="demo/validated")
    err = caught.value
    assert err.status_code == 422
    assert err.details and err.details[0].loc[-1] == "prompt"
    assert "prompt" in str(err)
    assert err.request_id
    assert predictkit_server.prediction_count() == 0
    ok = api(
        "create",
        {"input": {"prompt": "hi"}, "validate_input": True},
        model="demo/validated",
        wait=True,
    )
    assert ok.status == "succeeded"


def test_get_unknown_prediction_is_not_found(api: Api) -> None:
    with pytest.raises(NotFoundError) as caught:
        api("get", "00000000-0000-4000-8000-000000000000")
    assert caught.value.status_code == 404
    assert caught.value.prediction_id == "00000000-0000-4000-8000-000000000000"


def test_list_returns_the_baseline_page(api: Api) -> None:
    ids = [api("create", {"input": {"n": i}}, model="demo/echo").id for i in range(3)]
    page = api("list", {"page_size": 5})
    assert isinstance(page, PaginatedResponse | type(page))
    assert [p.id for p in page.items][:3] == ids[::-1]  # newest first
    assert page.next_cursor is None
    assert page.previous_cursor is None
    assert page.next_url is None and page.previous_url is None


def test_webhook_params_are_sent(api: Api, predictkit_server: ReferenceServer) -> None:
    api(
        "create",
        {"input": {}, "webhook": {"url": "http://127.0.0.1:9/hook", "secret": "s3cret"}},
        model="demo/echo",
    )
    body = next(r.body for r in predictkit_server.requests if r.operation_id == "create_prediction")
    # The server's request log redacts the secret; the request itself carried it.
    assert json.loads(body)["webhook"] == {"url": "http://127.0.0.1:9/hook", "secret": "<redacted>"}
    assert b"s3cret" not in body


def test_poller_resumes_in_another_process(
    client: object, predictkit_server: ReferenceServer
) -> None:
    from predictkit import Client

    assert isinstance(client, Client)
    created = client.predictions.create({"input": {"sleep": 0.3}}, model="demo/echo")
    token = client.predictions.poller(created.id).continuation_token()
    script = (
        "import sys; from predictkit import Client\n"
        "p = Client().predictions.poller(sys.argv[1]).result(timeout=20)\n"
        "print(p.status, p.output)\n"
    )
    env = {
        **os.environ,
        "WRIFTAI_ACCESS_TOKEN": predictkit_server.token,
        "WRIFTAI_API_BASE_URL": predictkit_server.url,
    }
    out = subprocess.run(
        [sys.executable, "-c", script, token],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "succeeded {'sleep': 0.3}"
    poller = client.predictions.poller(token)
    assert poller.done() is True
    assert poller.status() == "succeeded"


def test_wait_options_none_means_the_defaults(api: Api) -> None:
    p = api("create", {"input": {}}, model="demo/echo", wait=True, wait_options=None)
    assert p.status == "succeeded"
    assert api("wait", p.id, None).status == "succeeded"


def test_async_callbacks_are_refused_by_blocking_calls_before_sending(
    client: object, predictkit_server: ReferenceServer
) -> None:
    from predictkit import Client

    assert isinstance(client, Client)

    async def on_poll(p: PredictionWithIO) -> None: ...

    with pytest.raises(TypeError, match="async_"):
        client.predictions.create(
            {"input": {}},
            model="demo/echo",
            wait=True,
            wait_options=AsyncWaitOptions(on_poll=on_poll),  # type: ignore[arg-type]
        )
    with pytest.raises(TypeError, match="wait must be True or False"):
        client.predictions.create({"input": {}}, model="demo/echo", wait="no")  # type: ignore[arg-type]
    assert predictkit_server.requests == []
