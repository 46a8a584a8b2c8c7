"""Listing: lazy auto-paging, pages, limit, filter, resumable cursors, bounds."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest
from predictkit import Client, ListedPrediction, Page
from predictkit.testing import ReferenceServer

from .conftest import Api, paths


@pytest.fixture
def twelve(client: Client) -> list[str]:
    """Ids of 12 finished predictions, oldest first (4 of them failed)."""
    ids = []
    for i in range(12):
        data = {"fail": "x"} if i % 3 == 0 else {"n": i}
        ids.append(client.predictions.create({"input": data}, model="demo/echo", wait=True).id)
    return ids


def test_iterating_walks_every_page_newest_first(
    api: Api, twelve: list[str], predictkit_server: ReferenceServer
) -> None:
    before = len(paths(predictkit_server, "list_predictions"))
    items = api.collect("list", {"page_size": 5})
    assert [p.id for p in items] == twelve[::-1]
    assert len(paths(predictkit_server, "list_predictions")) - before == 3


def test_limit_stops_early_and_fetches_no_more_than_needed(
    api: Api, twelve: list[str], predictkit_server: ReferenceServer
) -> None:
    items = api.collect("list", limit=7)
    assert [p.id for p in items] == twelve[::-1][:7]
    queries = [r.query for r in predictkit_server.requests if r.operation_id == "list_predictions"]
    assert queries == [{"page_size": ["7"]}]  # one request: the page size follows the limit


def test_status_filter(api: Api, twelve: list[str]) -> None:
    failed = api.collect("list", statuses=["failed"])
    assert len(failed) == 4 and {p.status for p in failed} == {"failed"}


def test_by_page_and_resume_from_a_saved_cursor(client: Client, twelve: list[str]) -> None:
    pages = list(client.predictions.list({"page_size": 5}).by_page())
    assert [len(p.items) for p in pages] == [5, 5, 2]
    assert pages[-1].next_cursor is None and pages[0].previous_cursor is None
    saved = pages[0].next_cursor
    assert saved is not None
    resumed = client.predictions.list({"cursor": saved, "page_size": 5})
    assert [p.id for p in resumed] == twelve[::-1][5:]
    back = client.predictions.list({"cursor": resumed.previous_cursor or "", "page_size": 5})
    assert [p.id for p in back.items] == twelve[::-1][:5]


def test_async_list_is_awaitable_and_async_iterable(client: Client, twelve: list[str]) -> None:
    async def main() -> tuple[list[str], list[str], int]:
        first = await client.predictions.async_list({"page_size": 5})
        every = [p.id async for p in client.predictions.async_list({"page_size": 5})]
        pages = [page async for page in first.by_page()]
        return [p.id for p in first.items], every, len(pages)

    first_ids, every, pages = asyncio.run(main())
    assert first_ids == twelve[::-1][:5]
    assert every == twelve[::-1]
    assert pages == 3


def test_paging_while_creating_neither_skips_nor_repeats(client: Client, twelve: list[str]) -> None:
    seen = []
    for p in client.predictions.list({"page_size": 5}):
        seen.append(p.id)
        if len(seen) == 3:
            client.predictions.create({"input": {}}, model="demo/echo")
    assert seen == twelve[::-1]


@pytest.mark.parametrize(
    "bad", [{"page_size": 4}, {"page_size": 51}, {"page_size": "10"}, {"cursor": 3}, {"size": 5}]
)
def test_bad_pagination_options_are_rejected_before_sending(
    api: Api, predictkit_server: ReferenceServer, bad: dict[str, object]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each message names its own option
        api("list", bad)
    assert predictkit_server.requests == []


def test_unknown_status_filter_is_rejected(api: Api) -> None:
    with pytest.raises(ValueError, match="queued"):
        api("list", statuses=["queued"])


def test_paging_holds_one_page_at_a_time(client: Client) -> None:
    for i in range(30):
        client.predictions.create({"input": {"i": i}}, model="demo/echo")
    first = client.predictions.list({"page_size": 5})
    pages: list[weakref.ref[Page[ListedPrediction]]] = []
    for page in first.by_page():
        pages.append(weakref.ref(page))
        gc.collect()
        # Only `first` (held above) and the current page may be alive: nothing accumulates.
        assert [ref for ref in pages[1:-1] if ref() is not None] == []
    assert len(pages) == 6
