"""Pages: lazy iteration across pages, limits, by_page, and the async twins."""

from __future__ import annotations

import itertools

import pytest
from predictkit import AsyncPage, AsyncPaginator, Page, PaginatedResponse, ResponseParseError
from predictkit.pagination import (
    MAX_EMPTY_PAGES,
    MAX_PAGE_SIZE,
    MIN_PAGE_SIZE,
    REMEMBERED_CURSORS,
    _Progress,
    check_limit,
    check_page_size,
)

MAX_FETCHES = 1000
"""More fetches than any test needs: a broken loop guard fails the test instead of hanging it."""


def record(fetched: list[str], cursor: str) -> None:
    fetched.append(cursor)
    assert len(fetched) <= MAX_FETCHES, "iteration did not stop"


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
        record(self.cursors, cursor)
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
        record(self.cursors, cursor)
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


# --- a misbehaving server ----------------------------------------------------------------------

# cursor -> (items, next cursor); the first page is served by the caller, not fetched.
Script = dict[str, tuple[list[int], str | None]]

CYCLE: Script = {"start": ([0], "A"), "A": ([1], "B"), "B": ([2], "A")}
SAME_TWICE: Script = {"start": ([0], "A"), "A": ([1], "A")}


def endless_empty(limit: int | None = None) -> tuple[Page[int], list[str]]:
    """A first page with one item, then empty pages, each naming a fresh cursor, forever."""
    fetched: list[str] = []

    def fetch(cursor: str) -> Page[int]:
        record(fetched, cursor)
        return Page([], f"c{len(fetched)}", cursor, limit=limit, fetch=fetch)

    return Page([1], "c0", None, limit=limit, fetch=fetch), fetched


class ScriptedFetcher:
    """Serves a script of pages (sync and async) and records every cursor fetched."""

    def __init__(self, script: Script, limit: int | None = None) -> None:
        self.script = script
        self.limit = limit
        self.cursors: list[str] = []

    def page(self, cursor: str) -> Page[int]:
        items, nxt = self.script[cursor]
        return Page(list(items), nxt, None, limit=self.limit, fetch=self.fetch)

    def fetch(self, cursor: str) -> Page[int]:
        record(self.cursors, cursor)
        return self.page(cursor)

    def async_page(self, cursor: str) -> AsyncPage[int]:
        items, nxt = self.script[cursor]
        return AsyncPage(list(items), nxt, None, limit=self.limit, fetch=self.async_fetch)

    async def async_fetch(self, cursor: str) -> AsyncPage[int]:
        record(self.cursors, cursor)
        return self.async_page(cursor)


def long_script(pages: int) -> Script:
    """``pages`` pages of two items each, every one with its own cursor."""
    script: Script = {}
    for n in range(pages):
        nxt = f"k{n + 1}" if n + 1 < pages else None
        script["start" if n == 0 else f"k{n}"] = ([2 * n, 2 * n + 1], nxt)
    return script


@pytest.mark.parametrize(
    ("script", "fetched", "seen"), [(CYCLE, ["A", "B"], [0, 1]), (SAME_TWICE, ["A"], [0])]
)
def test_cursor_cycle_raises(script: Script, fetched: list[str], seen: list[int]) -> None:
    fetcher = ScriptedFetcher(script)
    got: list[int] = []
    with pytest.raises(ResponseParseError, match="cursor 'A' again"):
        got.extend(fetcher.page("start"))
    assert got == seen
    assert fetcher.cursors == fetched  # stopped before following 'A' a second time


def test_cursor_cycle_raises_by_page() -> None:
    fetcher = ScriptedFetcher(CYCLE)
    pages = fetcher.page("start").by_page()
    assert [next(pages).items, next(pages).items] == [[0], [1]]
    with pytest.raises(ResponseParseError, match="'A'"):
        next(pages)
    assert fetcher.cursors == ["A", "B"]


def test_cursor_cycle_raises_with_a_limit() -> None:
    fetcher = ScriptedFetcher(CYCLE, limit=100)
    with pytest.raises(ResponseParseError, match="'A'"):
        list(fetcher.page("start"))
    assert fetcher.cursors == ["A", "B"]


async def test_async_cursor_cycle_raises() -> None:
    fetcher = ScriptedFetcher(CYCLE)
    seen: list[int] = []
    with pytest.raises(ResponseParseError, match="cursor 'A' again"):
        async for item in fetcher.async_page("start"):
            seen.append(item)  # noqa: PERF401 - keeps what came before the error
    assert seen == [0, 1]
    assert fetcher.cursors == ["A", "B"]


async def test_async_paginator_cursor_cycle_raises() -> None:
    fetcher = ScriptedFetcher(CYCLE)

    async def first_page() -> AsyncPage[int]:
        return fetcher.async_page("start")

    with pytest.raises(ResponseParseError, match="'A'"):
        [x async for x in AsyncPaginator(first_page)]
    assert fetcher.cursors == ["A", "B"]


@pytest.mark.parametrize("limit", [None, 5, 1000])
def test_endless_empty_pages_raise_after_the_bound(limit: int | None) -> None:
    page, fetched = endless_empty(limit)
    seen: list[int] = []
    with pytest.raises(ResponseParseError, match=f"{MAX_EMPTY_PAGES} empty pages in a row"):
        seen.extend(page)
    assert seen == [1]
    assert fetched == [f"c{n}" for n in range(MAX_EMPTY_PAGES)]


def test_endless_empty_first_pages_count_too() -> None:
    fetched: list[str] = []

    def fetch(cursor: str) -> Page[int]:
        record(fetched, cursor)
        return Page([], f"c{len(fetched)}", cursor, fetch=fetch)

    with pytest.raises(ResponseParseError, match="'c2'"):
        list(Page([], "c0", None, fetch=fetch))
    assert fetched == ["c0", "c1"]


async def test_async_endless_empty_pages_raise_after_the_bound() -> None:
    fetched: list[str] = []

    async def fetch(cursor: str) -> AsyncPage[int]:
        record(fetched, cursor)
        return AsyncPage([], f"c{len(fetched)}", cursor, limit=5, fetch=fetch)

    seen: list[int] = []
    with pytest.raises(ResponseParseError, match=f"{MAX_EMPTY_PAGES} empty pages in a row"):
        async for item in AsyncPage([1], "c0", None, limit=5, fetch=fetch):
            seen.append(item)  # noqa: PERF401 - keeps what came before the error
    assert seen == [1]
    assert fetched == [f"c{n}" for n in range(MAX_EMPTY_PAGES)]


def test_fewer_empty_pages_than_the_bound_are_fine() -> None:
    script: Script = {
        "start": ([], "e1"),
        "e1": ([], "x"),
        "x": ([1], "e2"),
        "e2": ([], "e3"),
        "e3": ([], "y"),
        "y": ([2], "last"),
        "last": ([], None),
    }
    fetcher = ScriptedFetcher(script)
    assert list(fetcher.page("start")) == [1, 2]
    assert fetcher.cursors == ["e1", "x", "e2", "e3", "y", "last"]


def test_normal_three_page_list_still_works_sync_and_by_page() -> None:
    page, fetcher = first()
    assert list(page) == list(range(1, 10))
    assert [p.next_cursor for p in page.by_page()] == ["p2", "p3", None]
    assert fetcher.cursors == ["p2", "p3", "p2", "p3"]


async def test_normal_three_page_list_still_works_async() -> None:
    fetcher = ScriptedFetcher({"start": ([1, 2], "p2"), "p2": ([3], "p3"), "p3": ([4], None)})
    assert [x async for x in fetcher.async_page("start")] == [1, 2, 3, 4]
    assert fetcher.cursors == ["p2", "p3"]


def test_long_list_with_distinct_cursors_iterates_fully() -> None:
    pages = 200
    assert pages > REMEMBERED_CURSORS  # the remembered window must slide, not grow
    fetcher = ScriptedFetcher(long_script(pages))
    assert list(fetcher.page("start")) == list(range(2 * pages))
    assert fetcher.cursors == [f"k{n}" for n in range(1, pages)]


async def test_async_long_list_with_distinct_cursors_iterates_fully() -> None:
    pages = 200
    fetcher = ScriptedFetcher(long_script(pages))
    assert [x async for x in fetcher.async_page("start")] == list(range(2 * pages))
    assert len(fetcher.cursors) == pages - 1


def test_remembered_cursors_stay_bounded() -> None:
    fetcher = ScriptedFetcher(long_script(200))
    first_page = fetcher.page("start")
    progress = _Progress(first_page)
    page: Page[int] | None = first_page
    while page is not None:
        following = page.get_next_page()
        progress.check(page, following)
        assert len(progress._seen) == len(progress._order) <= REMEMBERED_CURSORS
        page = following
    assert len(progress._seen) == REMEMBERED_CURSORS
    assert list(progress._order) == [f"k{n}" for n in range(200 - REMEMBERED_CURSORS, 200)]


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
