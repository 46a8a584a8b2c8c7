"""Cursor pages, and lazy iteration across them.

``Page`` is what ``list()`` returns: this page's ``items`` and cursors (the earlier SDK's
PaginatedResponse), and, when iterated, every item from here to the end of the list, fetching
one page at a time so memory stays constant. ``by_page()`` yields pages; ``next_cursor`` lets a
job stop and resume later. ``AsyncPaginator`` (from ``async_list()``) is both awaitable (the
first page) and async-iterable (every item).

A page built from ``Unparsed`` items (what the resources give it) parses each item into its
typed model only when it is reached: by iteration, or all at once on the first read of
``items``. A caller that reads the first few items of a page of 50 pays for those few; an item
the server sent malformed raises its ResponseParseError when it is reached.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import attrs

from predictkit._errors import InvalidInputError, ResponseParseError

__all__ = ["AsyncPage", "AsyncPaginator", "Page", "PaginatedResponse", "Unparsed"]

T = TypeVar("T")

MIN_PAGE_SIZE = 5
MAX_PAGE_SIZE = 50


def check_page_size(page_size: object) -> None:
    """Reject a page size the API would refuse, before any request."""
    if (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not MIN_PAGE_SIZE <= page_size <= MAX_PAGE_SIZE
    ):
        raise InvalidInputError(
            f"page_size must be a whole number from {MIN_PAGE_SIZE} to {MAX_PAGE_SIZE}, "
            f"not {page_size!r}."
        )


def check_limit(limit: object) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InvalidInputError(f"limit must be a whole number >= 0 or None, not {limit!r}.")


def _take(page: _PageBase[T], left: int | None) -> tuple[Iterator[T], int | None]:
    """The items iteration may still yield from a page (each parsed when reached), and the
    limit left after them."""
    if left is None:
        return page._each(), None
    taken = min(left, page._count())
    return itertools.islice(page._each(), taken), left - taken


@attrs.frozen
class Unparsed(Generic[T]):
    """A page's items as the server sent them, and how to parse one into its typed model
    (raising ResponseParseError for an item this client cannot read)."""

    raw: list[Any]
    parse: Callable[[Any], T] = attrs.field(repr=False)


REMEMBERED_CURSORS = 64
"""How many of the latest followed cursors iteration remembers to spot a cursor cycle."""
MAX_EMPTY_PAGES = 3
"""How many empty pages in a row, each still carrying a next cursor, iteration accepts."""


class _Progress:
    """Stops iteration that a misbehaving server would make endless.

    One per ``by_page()`` walk, shared by the sync and async pages. ``check`` runs on each page
    fetched, before it is yielded, and raises ResponseParseError when its next cursor is one
    already followed (the last REMEMBERED_CURSORS, so memory stays constant however many pages
    pass) or when it is the MAX_EMPTY_PAGES-th empty page in a row that still has a next cursor.
    """

    def __init__(self, first: _PageBase[Any]) -> None:
        self._order: deque[str] = deque()
        self._seen: set[str] = set()
        self._empty_run = 0
        self._count_empty(first)

    def check(self, page: _PageBase[Any], following: _PageBase[Any] | None) -> None:
        """``following`` was fetched with ``page.next_cursor``; None means iteration ends."""
        if following is None:
            return
        if page.next_cursor is not None:
            self._remember(page.next_cursor)
        cursor = following.next_cursor
        if cursor is None:
            return
        if cursor in self._seen:
            raise ResponseParseError(
                f"The server returned the cursor {cursor!r} again after it was already "
                "followed; stopping rather than looping forever."
            )
        self._count_empty(following)

    def _remember(self, cursor: str) -> None:
        if cursor in self._seen:
            return
        if len(self._order) >= REMEMBERED_CURSORS:
            self._seen.discard(self._order.popleft())
        self._order.append(cursor)
        self._seen.add(cursor)

    def _count_empty(self, page: _PageBase[Any]) -> None:
        if page._count() or page.next_cursor is None:
            self._empty_run = 0
            return
        self._empty_run += 1
        if self._empty_run >= MAX_EMPTY_PAGES:
            raise ResponseParseError(
                f"The server returned {self._empty_run} empty pages in a row that still name a "
                f"next cursor (latest {page.next_cursor!r}); stopping rather than looping forever."
            )


def _shown(items: list[Any] | Unparsed[Any]) -> str:
    return f"<{len(items.raw)} items>" if isinstance(items, Unparsed) else repr(items)


@attrs.define(eq=False)
class _PageBase(Generic[T]):
    _items: list[T] | Unparsed[T] = attrs.field(alias="items", repr=_shown)
    next_cursor: str | None
    """Cursor of the next (older) page; None on the last page."""
    previous_cursor: str | None
    """Cursor of the previous (newer) page; None on the first page."""
    next_url: str | None = None
    """Legacy; the service sends cursors only. Kept for the earlier SDK's users."""
    previous_url: str | None = None
    """Legacy; see next_url."""
    limit: int | None = attrs.field(default=None, kw_only=True, repr=False)
    """Most items iteration yields, counting from this page (None: no limit)."""

    _parsed: list[T] = attrs.field(factory=list, init=False, repr=False)
    """The leading items parsed so far, when ``_items`` is Unparsed."""

    @property
    def items(self) -> list[T]:
        """This page's items (parsed, if they were not yet, on this first read)."""
        if isinstance(self._items, Unparsed):
            self._parsed.extend(map(self._items.parse, self._items.raw[len(self._parsed) :]))
            self._items = self._parsed
        return self._items

    @items.setter
    def items(self, value: list[T]) -> None:
        self._items = value

    def _count(self) -> int:
        return len(self._items.raw if isinstance(self._items, Unparsed) else self._items)

    def _each(self) -> Iterator[T]:
        """This page's items, each parsed when reached (and kept: ``items`` reuses it)."""
        if not isinstance(self._items, Unparsed):
            yield from self._items
            return
        parse, parsed = self._items.parse, self._parsed
        for index, data in enumerate(self._items.raw):
            if index < len(parsed):  # parsed already (by an earlier walk or a read of items)
                yield parsed[index]
            else:
                item = parse(data)
                parsed.append(item)
                yield item

    def has_next_page(self) -> bool:
        return self.next_cursor is not None


@attrs.define(eq=False)
class Page(_PageBase[T]):
    """One page of a list; iterating it walks every item from here on, lazily."""

    _fetch: Callable[[str], Page[T]] | None = attrs.field(
        default=None, kw_only=True, repr=False, alias="fetch"
    )

    def get_next_page(self) -> Page[T] | None:
        """Fetch the next page, or None on the last one."""
        if self.next_cursor is None or self._fetch is None:
            return None
        return self._fetch(self.next_cursor)

    def by_page(self) -> Iterator[Page[T]]:
        """This page and every following one."""
        page: Page[T] | None = self
        progress = _Progress(self)
        while page is not None:
            yield page
            following = page.get_next_page()
            progress.check(page, following)
            page = following

    def __iter__(self) -> Iterator[T]:
        left = self.limit
        for page in self.by_page():
            items, left = _take(page, left)
            yield from items
            if left == 0:
                return


PaginatedResponse = Page
"""The earlier SDK's name for a page."""


@attrs.define(eq=False)
class AsyncPage(_PageBase[T]):
    """Async twin of Page: ``async for`` walks every item from here on."""

    _fetch: Callable[[str], Awaitable[AsyncPage[T]]] | None = attrs.field(
        default=None, kw_only=True, repr=False, alias="fetch"
    )

    async def get_next_page(self) -> AsyncPage[T] | None:
        if self.next_cursor is None or self._fetch is None:
            return None
        return await self._fetch(self.next_cursor)

    async def by_page(self) -> AsyncIterator[AsyncPage[T]]:
        page: AsyncPage[T] | None = self
        progress = _Progress(self)
        while page is not None:
            yield page
            following = await page.get_next_page()
            progress.check(page, following)
            page = following

    async def __aiter__(self) -> AsyncIterator[T]:
        left = self.limit
        async for page in self.by_page():
            items, left = _take(page, left)
            for item in items:
                yield item
            if left == 0:
                return


class AsyncPaginator(Generic[T]):
    """What ``async_list()`` returns: ``await`` it for the first page (the earlier SDK's
    behaviour), or ``async for`` over it for every item across pages."""

    def __init__(self, first_page: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first_page().__await__()

    async def by_page(self) -> AsyncIterator[AsyncPage[T]]:
        page = await self._first_page()
        async for each in page.by_page():
            yield each

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first_page()
        async for item in page:
            yield item
