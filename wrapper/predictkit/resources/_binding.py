"""Binds the generated resources (predictkit_api.api.<tag>) to predictkit's shared layer.

The generated resource classes build requests and name their parsers; they send through the
small ``Transport`` protocol of ``predictkit_api.api``. ``Binding`` implements it once, for
every operation: model references through ModelRef, sending through ``_api.API`` (retries,
deadlines, logging, error mapping, the write-once rule), paging through
``predictkit.pagination``, and ``with_raw_response`` through ``_api.recording``.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from predictkit_api.api import (
    AsyncPages,
    AsyncPaginated,
    CallOptions,
    Listing,
    ModelName,
    PageRequest,
    Paging,
)
from predictkit_api.types import UNSET

from predictkit._api import API, RawResponse, WriteOnce, json_body, recording
from predictkit._call import Call
from predictkit._errors import InvalidInputError, InvalidInputTypeError
from predictkit.model_ref import ModelRef
from predictkit.pagination import (
    AsyncPage,
    AsyncPaginator,
    Page,
    Unparsed,
    check_limit,
    check_page_size,
)

__all__ = ["Binding"]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

PageFields = tuple[list[T] | Unparsed[T], str | None, str | None, str | None, str | None]
"""A page's items (parsed, or parsed when reached), next and previous cursors, and (legacy)
next and previous URLs."""
FetchPage = Callable[[str | None], PageFields[T]]
AsyncFetchPage = Callable[[str | None], Awaitable[PageFields[T]]]
ParseList = Callable[[Any], Listing[T]]

DEFAULT_PAGE_SIZE = 25
"""The API's page size when none is sent."""


def model_ref(model: str | ModelName, *, version: bool) -> ModelRef:
    """Parse a model reference as every method that names a model does; ``version`` says
    whether it must name a version (``owner/name:N``) or must not (``owner/name``)."""
    if isinstance(model, str | ModelRef):
        ref = ModelRef.parse(model)
    elif all(hasattr(model, part) for part in ("owner", "name", "version")):
        ref = ModelRef(model.owner, model.name, model.version)
    else:
        raise InvalidInputTypeError(
            f"A model reference is 'owner/name' or a ModelRef, not {model!r}."
        )
    if version and ref.version is None:
        raise InvalidInputError(f"{str(ref)!r} names a model; this needs a version: '{ref}:1'.")
    if not version and ref.version is not None:
        raise InvalidInputError(
            f"{str(ref)!r} names a version; this needs a model: '{ref.owner}/{ref.name}'."
        )
    return ref


def page_args(paging: Paging) -> tuple[str | None, int | None]:
    """Check a list call's paging arguments before any request; fetch no more than ``limit``.
    Returns the first cursor and the page size to send."""
    cursor, page_size, limit = paging.cursor, paging.page_size, paging.limit
    if cursor is not None and not isinstance(cursor, str):
        raise InvalidInputError(f"cursor must be a string from a previous page, not {cursor!r}.")
    if page_size is not None:
        check_page_size(page_size)
    check_limit(limit)
    if page_size is None and limit is not None and limit < DEFAULT_PAGE_SIZE:
        page_size = max(5, limit)
    return cursor, page_size


class Binding:
    """predictkit's ``Transport`` for the generated resources."""

    def __init__(self, api: API) -> None:
        self._api = api

    def __repr__(self) -> str:
        return f"Binding({self._api!r})"

    def model_path(self, model: str | ModelName, *, version: bool) -> tuple[str, str, int]:
        ref = model_ref(model, version=version)
        return ref.owner, ref.name, ref.version or 0

    def _call(self, request: dict[str, Any], options: CallOptions) -> Call:
        once = options.write_once
        return self._api.call(
            request,
            timeout=options.timeout,
            extra_headers=options.extra_headers,
            write_once=None if once is None else WriteOnce(*once),
        )

    def send(self, request: dict[str, Any], parse: Callable[[Any], T], options: CallOptions) -> T:
        return self._api.send(self._call(request, options), json_body(parse))

    async def asend(
        self, request: dict[str, Any], parse: Callable[[Any], T], options: CallOptions
    ) -> T:
        return await self._api.asend(self._call(request, options), json_body(parse))

    def pages(
        self, request: PageRequest, parse: ParseList[T], options: CallOptions, paging: Paging
    ) -> Page[T]:
        first, size = page_args(paging)
        return paged(first, paging.limit, _fetcher(self.send, request, parse, options, size))

    def async_pages(
        self, request: PageRequest, parse: ParseList[T], options: CallOptions, paging: Paging
    ) -> AsyncPaginator[T]:
        first, size = page_args(paging)
        return apaged(first, paging.limit, _fetcher(self.asend, request, parse, options, size))

    def raw(self, method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
        @functools.wraps(method)
        def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
            with recording() as recorder:
                result = method(*args, **kwargs)
            return RawResponse(recorder.last(), result)

        return call

    def async_raw(
        self, method: Callable[P, Awaitable[T]]
    ) -> Callable[P, Awaitable[RawResponse[T]]]:
        @functools.wraps(method)
        async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
            with recording() as recorder:
                result = await method(*args, **kwargs)
            return RawResponse(recorder.last(), result)

        return call

    def async_raw_pages(
        self, method: Callable[P, AsyncPaginated[T]]
    ) -> Callable[P, Awaitable[RawResponse[AsyncPages[T]]]]:
        """``async_list`` returns before sending; its raw view awaits the first page."""

        async def first_page(*args: P.args, **kwargs: P.kwargs) -> AsyncPages[T]:
            return await method(*args, **kwargs)

        return functools.wraps(method)(self.async_raw(first_page))


def paged(first: str | None, limit: int | None, fetch: FetchPage[T]) -> Page[T]:
    """The lazily paged list whose page at a cursor is ``fetch(cursor)`` (its fields): the
    first page now, each next one when iteration reaches it."""

    def page(at: str | None) -> Page[T]:
        return Page(*fetch(at), limit=limit, fetch=page)

    return page(first)


def apaged(first: str | None, limit: int | None, fetch: AsyncFetchPage[T]) -> AsyncPaginator[T]:
    """Async twin of `paged`: the first page is fetched when awaited or iterated."""

    async def page(at: str | None) -> AsyncPage[T]:
        return AsyncPage(*await fetch(at), limit=limit, fetch=page)

    return AsyncPaginator(lambda: page(first))


def _fetcher(
    send: Callable[[dict[str, Any], Callable[[Any], PageFields[T]], CallOptions], R],
    request: PageRequest,
    parse: ParseList[T],
    options: CallOptions,
    size: int | None,
) -> Callable[[str | None], R]:
    """What fetches a generated list operation's page at a cursor with ``send`` (Binding's
    ``send`` or ``asend``): its request, and its body read as the page's fields."""

    def fields(data: Any) -> PageFields[T]:
        listing = parse(data)
        return listing.items, listing.next_cursor, listing.previous_cursor, None, None

    def fetch(cursor: str | None) -> R:
        at = UNSET if cursor is None else cursor
        return send(request(at, UNSET if size is None else size), fields, options)

    return fetch
