"""Pages: lazy iteration across pages, limits, by_page, and the async twins."""

from __future__ import annotations

import itertools

import pytest
from predictkit import AsyncPage, AsyncPaginator, Page, PaginatedResponse
from predictkit.pagination import MAX_PAGE_SIZE, MIN_PAGE_SIZE, check_limit, check_page_size

# A three-page list: cursor -> (items, next cursor)
PAGES: dict[str, tuple[list[int], str | None]] = {
    "p1": ([1, 2, 3], "p2"),
    "p2": ([4, 5, 6], "p3"),
    "p3": ([7, 8, 9], None),
}


class Fetcher:
    """Serves PAGES and counts fetches (the first page is fetched by the caller)."""

    def __init__(self, limit: int | None = None) -> None:
        self.cursors: list[str] = []
        self.limit = limit

    def __call__(self, cursor: str) -> Page[int]:
        self.cursors.append(cursor)
        return self.page(cursor)

    def page(self, cursor: str) -> Page[int]:
        items, nxt = PAGES[cursor]
        prev = None if cursor == "p1" else cursor
        return Page(list(items), nxt, prev, limit=self.limit, fetch=self)


def first(limit: int | None = None) -> tuple[Page[int], Fetcher]:
    fetcher = Fetcher(limit)
    return fetcher.page("p1"), fetcher


def test_iterates_every_item_across_pages() -> None:
    page, fetcher = first()
    assert list(page) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert fetcher.cursors == ["p2", "p3"]


@pytest.mark.parametrize(
    ("take", "fetches"), [(0, []), (3, []), (4, ["p2"]), (6, ["p2"]), (7, ["p2", "p3"])]
)
def test_iteration_is_lazy(take: int, fetches: list[str]) -> None:
    page, fetcher = first()
    assert list(itertools.islice(page, take)) == list(range(1, take + 1))
    assert fetcher.cursors == fetches


@pytest.mark.parametrize(
    ("limit", "expected", "fetches"),
    [
        (0, [], []),
        (2, [1, 2], []),
        (3, [1, 2, 3], []),
        (4, [1, 2, 3, 4], ["p2"]),
        (9, list(range(1, 10)), ["p2", "p3"]),
        (50, list(range(1, 10)), ["p2", "p3"]),
        (None, list(range(1, 10)), ["p2", "p3"]),
    ],
)
def test_limit_bounds_items_and_fetches(
    limit: int | None, expected: list[int], fetches: list[str]
) -> None:
    page, fetcher = first(limit)
    assert list(page) == expected
    assert fetcher.cursors == fetches


def test_by_page_and_cursors() -> None:
    page, fetcher = first()
    pages = list(page.by_page())
    assert [p.items for p in pages] == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert [p.next_cursor for p in pages] == ["p2", "p3", None]
    assert [p.previous_cursor for p in pages] == [None, "p2", "p3"]
    assert [p.has_next_page() for p in pages] == [True, True, False]
    assert fetcher.cursors == ["p2", "p3"]


def test_by_page_is_lazy() -> None:
    page, fetcher = first()
    pages = page.by_page()
    assert next(pages) is page
    assert fetcher.cursors == []
    assert next(pages).items == [4, 5, 6]
    assert fetcher.cursors == ["p2"]


def test_get_next_page() -> None:
    page, fetcher = first()
    second = page.get_next_page()
    assert second is not None
    assert second.items == [4, 5, 6]
    third = second.get_next_page()
    assert third is not None
    assert third.get_next_page() is None
    assert fetcher.cursors == ["p2", "p3"]


def test_page_without_fetcher_stops_after_its_items() -> None:
    page: Page[int] = Page([1, 2], "more", None)
    assert page.get_next_page() is None
    assert list(page) == [1, 2]


def test_empty_pages_are_skipped() -> None:
    pages: dict[str, Page[str]] = {}

    def fetch(cursor: str) -> Page[str]:
        return pages[cursor]

    pages["b"] = Page([], "c", "a", fetch=fetch)
    pages["c"] = Page(["x"], None, "b", fetch=fetch)
    assert list(Page([], "b", None, fetch=fetch)) == ["x"]


def test_iterating_twice_restarts_from_this_page() -> None:
    page, fetcher = first(limit=4)
    assert list(page) == [1, 2, 3, 4]
    assert list(page) == [1, 2, 3, 4]
    assert fetcher.cursors == ["p2", "p2"]


def test_legacy_fields_and_alias() -> None:
    assert PaginatedResponse is Page
    page: Page[int] = Page([1], None, None, "https://n", "https://p")
    assert (page.next_url, page.previous_url) == ("https://n", "https://p")
    assert "fetch" not in repr(page)


# --- async ---------------------------------------------------------------------------------------


class AsyncFetcher:
    def __init__(self, limit: int | None = None) -> None:
        self.cursors: list[str] = []
        self.firsts = 0
        self.limit = limit

    async def __call__(self, cursor: str) -> AsyncPage[int]:
        self.cursors.append(cursor)
        return self.page(cursor)

    def page(self, cursor: str) -> AsyncPage[int]:
        items, nxt = PAGES[cursor]
        return AsyncPage(list(items), nxt, None, limit=self.limit, fetch=self)

    async def first_page(self) -> AsyncPage[int]:
        self.firsts += 1
        return self.page("p1")


async def test_async_page_iterates_across_pages() -> None:
    fetcher = AsyncFetcher()
    assert [x async for x in fetcher.page("p1")] == list(range(1, 10))
    assert fetcher.cursors == ["p2", "p3"]


async def test_async_page_is_lazy_and_limited() -> None:
    fetcher = AsyncFetcher(limit=4)
    assert [x async for x in fetcher.page("p1")] == [1, 2, 3, 4]
    assert fetcher.cursors == ["p2"]
    fetcher = AsyncFetcher(limit=3)
    assert [x async for x in fetcher.page("p1")] == [1, 2, 3]
    assert fetcher.cursors == []


async def test_async_page_lazy_with_early_break() -> None:
    fetcher = AsyncFetcher()
    seen = []
    async for x in fetcher.page("p1"):
        seen.append(x)
        if len(seen) == 3:
            break
    assert seen == [1, 2, 3]
    assert fetcher.cursors == []


async def test_async_page_by_page_and_get_next_page() -> None:
    fetcher = AsyncFetcher()
    page = fetcher.page("p1")
    assert [p.items async for p in page.by_page()] == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    last = fetcher.page("p3")
    assert await last.get_next_page() is None
    nxt = await page.get_next_page()
    assert nxt is not None
    assert nxt.items == [4, 5, 6]


async def test_async_paginator_await_gives_the_first_page() -> None:
    fetcher = AsyncFetcher()
    paginator = AsyncPaginator(fetcher.first_page)
    assert fetcher.firsts == 0  # nothing fetched until awaited or iterated
    page = await paginator
    assert page.items == [1, 2, 3]
    assert page.next_cursor == "p2"
    assert fetcher.firsts == 1
    assert fetcher.cursors == []


async def test_async_paginator_async_for_walks_every_item() -> None:
    fetcher = AsyncFetcher()
    assert [x async for x in AsyncPaginator(fetcher.first_page)] == list(range(1, 10))
    assert fetcher.firsts == 1
    assert fetcher.cursors == ["p2", "p3"]


async def test_async_paginator_by_page() -> None:
    fetcher = AsyncFetcher()
    pages = [p.next_cursor async for p in AsyncPaginator(fetcher.first_page).by_page()]
    assert pages == ["p2", "p3", None]


async def test_async_paginator_respects_limit() -> None:
    fetcher = AsyncFetcher(limit=5)
    assert [x async for x in AsyncPaginator(fetcher.first_page)] == [1, 2, 3, 4, 5]
    assert fetcher.cursors == ["p2"]


# --- bounds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [MIN_PAGE_SIZE, 25, MAX_PAGE_SIZE])
def test_page_size_in_bounds(size: int) -> None:
    check_page_size(size)


@pytest.mark.parametrize("size", [0, 4, 51, 1000, -5, True, 10.0, "10", None])
def test_page_size_out_of_bounds(size: object) -> None:
    with pytest.raises(ValueError, match="page_size must be a whole number from 5 to 50") as info:
        check_page_size(size)
    assert repr(size) in str(info.value)


@pytest.mark.parametrize("limit", [None, 0, 1, 10_000])
def test_limit_ok(limit: object) -> None:
    check_limit(limit)


@pytest.mark.parametrize("limit", [-1, True, 1.5, "3"])
def test_limit_rejected(limit: object) -> None:
    with pytest.raises(ValueError, match="limit must be"):
        check_limit(limit)
