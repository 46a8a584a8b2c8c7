"""Issue 8 against the reference server: idempotent cancel and run()'s cleanup (item 3),
predictions that pickle and copy (item 6), list items with reload/wait/cancel and the
messages a newcomer reads (item 10). Each test runs sync and async where there are both."""

from __future__ import annotations

import asyncio
import copy
import pickle
from typing import Any

import pytest
from predictkit import (
    Client,
    CreatePredictionParams,
    InvalidInputError,
    ListedPrediction,
    NotFoundError,
    PredictionWithIO,
    UnboundPredictionError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit.testing import ReferenceServer

from .conftest import Api, paths

SLOW: CreatePredictionParams = {"input": {"sleep": 30}}


def roundtrip(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj))  # noqa: S301 - bytes we just made


# --- item 3 --------------------------------------------------------------------------------------


def test_cancel_is_idempotent_before_and_after_the_end(
    api: Api, predictkit_server: ReferenceServer
) -> None:
    done = api("create", {"input": {"prompt": "hi"}}, model="demo/echo", wait=True)
    assert done.status == "succeeded"
    assert api("cancel", done.id) is None  # the server refuses with 409: it had ended
    assert api("cancel", done.id) is None
    running = api("create", SLOW, model="demo/echo")
    assert api("cancel", running.id) is None
    final = api("wait", running.id, WaitOptions(timeout=10))
    assert final.status == "cancelled"
    assert api("cancel", running.id) is None
    assert api("get", done.id).status == "succeeded"  # a late cancel changed nothing


def test_run_tells_a_timeout_leaving_its_block_that_it_cancelled(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    with (
        pytest.raises(WaitTimeoutError) as info,
        client.predictions.run(SLOW, model="demo/echo") as p,
    ):
        p.wait(WaitOptions(timeout=0.2))
    text = str(info.value)
    assert "wait again" not in text
    assert "cancel requested" in text
    assert info.value.cancelled
    assert paths(predictkit_server, "cancel_prediction") == [f"/v1/predictions/{p.id}/cancel"]
    assert client.predictions.wait(p.id, WaitOptions(timeout=10)).status == "cancelled"


def test_async_run_tells_a_timeout_leaving_its_block_that_it_cancelled(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    async def scenario() -> WaitTimeoutError:
        with pytest.raises(WaitTimeoutError) as info:
            async with client.predictions.async_run(SLOW, model="demo/echo") as p:
                await p.async_wait(WaitOptions(timeout=0.2))
        return info.value

    error = asyncio.run(scenario())
    assert "wait again" not in str(error)
    assert error.cancelled
    assert len(paths(predictkit_server, "cancel_prediction")) == 1


def test_run_cleanup_after_the_prediction_ended_adds_no_failure_note(client: Client) -> None:
    with (
        pytest.raises(KeyError) as info,
        client.predictions.run({"input": {"prompt": "hi"}}, model="demo/echo") as p,
    ):
        p.wait(WaitOptions(timeout=10))
        raise KeyError("mine")
    assert p.status == "succeeded"
    assert not getattr(info.value, "__notes__", [])


# --- item 6 --------------------------------------------------------------------------------------


def test_a_prediction_from_the_client_pickles_and_deep_copies(api: Api) -> None:
    p = api("create", {"input": {"prompt": "hi", "n": [1, 2]}}, model="demo/echo", wait=True)
    assert isinstance(p, PredictionWithIO)
    unpickled = roundtrip(p)
    assert type(unpickled) is PredictionWithIO
    assert unpickled.to_dict() == p.to_dict()
    assert unpickled == p
    with pytest.raises(UnboundPredictionError):
        unpickled.reload()  # the client (sockets, locks) does not travel

    deep = copy.deepcopy(p)
    assert deep.to_dict() == p.to_dict()
    deep.output["n"].append(3)
    assert p.output["n"] == [1, 2]  # independent data…
    assert deep.reload().output["n"] == [1, 2]  # …but the same client, still usable
    assert copy.copy(p).reload().id == p.id


def test_a_listed_prediction_pickles_and_deep_copies(api: Api) -> None:
    api("create", {"input": {"prompt": "hi"}}, model="demo/echo")
    item = api.collect("list")[0]
    assert isinstance(item, ListedPrediction)
    assert roundtrip(item).to_dict() == item.to_dict()
    assert copy.deepcopy(item).to_dict() == item.to_dict()


# --- item 10 -------------------------------------------------------------------------------------


def test_list_items_have_reload_wait_and_cancel(api: Api, client: Client) -> None:
    quick = api("create", {"input": {"prompt": "hi", "sleep": 0.2}}, model="demo/echo")
    slow = api("create", SLOW, model="demo/echo")
    items = {item.id: item for item in api.collect("list")}
    assert set(items) == {quick.id, slow.id}
    listed_quick, listed_slow = items[quick.id], items[slow.id]
    if api.mode == "sync":
        final = listed_quick.wait(WaitOptions(timeout=10))
        listed_slow.cancel()
        listed_slow.cancel()
        reloaded = listed_quick.reload()
        ended = listed_slow.wait(WaitOptions(timeout=10))
    else:

        async def scenario() -> tuple[Any, Any, Any]:
            final = await listed_quick.async_wait(WaitOptions(timeout=10))
            await listed_slow.async_cancel()
            await listed_slow.async_cancel()
            return final, await listed_quick.async_reload(), await listed_slow.async_wait()

        final, reloaded, ended = asyncio.run(scenario())
    assert final.status == "succeeded"
    assert final.output == {"prompt": "hi", "sleep": 0.2}  # the full prediction, with output
    assert listed_quick.status == "succeeded"  # and the item itself is updated
    assert reloaded.output == final.output
    assert ended.status == listed_slow.status == "cancelled"


def test_a_model_404_names_the_model(api: Api) -> None:
    with pytest.raises(NotFoundError) as info:
        api("create", {"input": {}}, model="demo/no-such-model")
    assert "'demo/no-such-model'" in str(info.value)
    with pytest.raises(NotFoundError) as version:
        api("create", {"input": {}}, model="demo/echo:99")
    assert "'demo/echo:99'" in str(version.value)


def test_a_base_url_without_v1_says_so_on_the_404(predictkit_server: ReferenceServer) -> None:
    root = predictkit_server.url.removesuffix("/v1")
    with Client(access_token=predictkit_server.token, api_base_url=root) as client:
        with pytest.raises(NotFoundError) as info:
            client.predictions.list()
        with pytest.raises(NotFoundError) as async_info:
            asyncio.run(_first_page(client))
    for error in (info.value, async_info.value):
        assert f"did you mean {root + '/v1'!r}" in str(error)


async def _first_page(client: Client) -> object:
    return await client.predictions.async_list()


def test_a_token_read_with_its_newline_fails_at_construction_not_at_the_server(
    predictkit_server: ReferenceServer,
) -> None:
    with pytest.raises(InvalidInputError, match="line break") as info:
        Client(access_token=predictkit_server.token + "\n", api_base_url=predictkit_server.url)
    assert predictkit_server.token not in str(info.value)
    assert predictkit_server.requests == []
