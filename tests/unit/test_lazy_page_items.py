"""A page's items are parsed into typed models only when reached, and read the same as before.

A mocked transport, because a malformed item is what the reference server cannot send.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from predictkit import Client, ListedPrediction, Page, ResponseParseError
from predictkit.pagination import Unparsed


def item(n: int) -> dict[str, Any]:
    return {
        "id": f"p{n}",
        "model": {"owner": "demo", "name": "echo", "version_number": 1},
        "created_at": "2026-01-01T00:00:00+00:00",
        "status": "succeeded",
        "updated_at": "2026-01-01T00:00:01+00:00",
        "setup_time": None,
        "execution_time": "0.1",
        "stream": False,
        "extra_key": n,
    }


def client_for(items: list[Any]) -> Client:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"items": items, "next_cursor": None, "previous_cursor": None}
        return httpx.Response(200, json=body)

    return Client(
        access_token="t",
        api_base_url="https://api.test/v1",
        transport=httpx.MockTransport(answer),
        async_transport=httpx.MockTransport(answer),
    )


def test_an_item_is_parsed_when_reached_not_before() -> None:
    parsed: list[int] = []

    def parse(raw: int) -> int:
        parsed.append(raw)
        return raw * 10

    page = Page(Unparsed([1, 2, 3], parse), None, None)
    assert parsed == []
    walk = iter(page)
    assert next(walk) == 10
    assert parsed == [1]
    assert page.items == [10, 20, 30]  # the rest, once
    assert list(page) == [10, 20, 30]
    assert parsed == [1, 2, 3]
    assert "3 items" in repr(Page(Unparsed([1, 2, 3], parse), None, None))
    assert parsed == [1, 2, 3]  # showing a page parses nothing
    assert "[10, 20, 30]" in repr(page)  # once parsed, the items themselves


def test_iteration_and_items_give_the_same_objects() -> None:
    with client_for([item(1), item(2)]) as client:
        page = client.predictions.list()
        walked = list(page)
        assert [p.id for p in walked] == ["p1", "p2"]
        assert all(a is b for a, b in zip(walked, page.items, strict=True))
        assert isinstance(walked[0], ListedPrediction)
        assert walked[0]._client is client  # bound: reload() and wait() send here


def test_a_listed_item_round_trips_to_dict() -> None:
    with client_for([item(1)]) as client:
        (listed,) = client.predictions.list().items
        assert listed.to_dict() == item(1)
        assert listed.model.version_number == 1
        assert listed["extra_key"] == 1


def test_a_malformed_item_raises_a_parse_error_when_reached() -> None:
    with client_for([item(1), {"id": "p2"}, item(3)]) as client:
        page = client.predictions.list()  # the page's own fields read fine
        walk = iter(page)
        assert next(walk).id == "p1"
        with pytest.raises(ResponseParseError, match="cannot read") as info:
            next(walk)
        assert b'"id":"p2"' in (info.value.body or b"").replace(b" ", b"")
        with pytest.raises(ResponseParseError):
            _ = page.items


@pytest.mark.parametrize("items", ["not a list", {"a": 1}, 3, None])
def test_items_that_are_not_a_list_are_refused_with_the_page(items: object) -> None:
    with client_for(items) as client, pytest.raises(ResponseParseError):  # type: ignore[arg-type]
        client.predictions.list()


def test_async_pages_parse_lazily_too() -> None:
    async def main() -> list[str]:
        async with client_for([item(1), item(2), {"bad": True}]) as client:
            page = await client.predictions.async_list()
            walk = aiter(page)
            seen = [(await anext(walk)).id, (await anext(walk)).id]
            with pytest.raises(ResponseParseError):
                await anext(walk)
            return seen

    assert asyncio.run(main()) == ["p1", "p2"]
