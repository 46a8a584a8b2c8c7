"""Contains methods for accessing the API

Each tag package (``api/<tag>/__init__.py``) holds a resource class: one typed method per
operation, and its ``async_`` twin, emitted together by ``generator-templates/endpoint_init.py.jinja``.
A resource sends nothing itself: it hands requests built by the endpoint modules' public
``build_request``/``parse`` to a ``Transport``, the small protocol below. predictkit's shared
layer implements it (retries, errors, paging, model references); this package never imports
predictkit.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

import attrs
import httpx

from ..types import Unset

if TYPE_CHECKING:
    from .authenticated_user import AuthenticatedUserResource
    from .hardware import HardwareResource
    from .model_categories import ModelCategoriesResource
    from .models import ModelsResource
    from .search import SearchResource
    from .uploads import UploadsResource
    from .users import UsersResource
    from .variables import VariablesResource

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
P = ParamSpec("P")

Timeout = float | httpx.Timeout
"""A per-call timeout: seconds for every phase, or an httpx.Timeout."""


@attrs.frozen
class CallOptions:
    """Per-call options every resource method takes, plus the operation's write-once advice."""

    timeout: Timeout | None = None
    extra_headers: Mapping[str, str] | None = None
    write_once: tuple[str, str, str] | None = None


@attrs.frozen
class Paging:
    """Where a list starts (``cursor``), how many items a page holds (``page_size``, the API's
    default when None) and how many items iteration yields at most (``limit``)."""

    cursor: str | None = None
    page_size: int | None = None
    limit: int | None = None


class ModelName(Protocol):
    """A parsed model reference (predictkit.ModelRef): owner, name and optional version."""

    @property
    def owner(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> int | None: ...


class Listing(Protocol[T]):
    """One page of a cursor-paged list as the API sends it."""

    @property
    def items(self) -> list[T]: ...
    @property
    def next_cursor(self) -> str | None: ...
    @property
    def previous_cursor(self) -> str | None: ...


class Pages(Protocol[T]):
    """What a list method returns (predictkit.Page): this page's ``items`` and cursors; iterate
    it for every item across pages, fetched lazily."""

    @property
    def items(self) -> list[T]: ...
    @property
    def next_cursor(self) -> str | None: ...
    @property
    def previous_cursor(self) -> str | None: ...
    def has_next_page(self) -> bool: ...
    def get_next_page(self) -> Pages[T] | None: ...
    def by_page(self) -> Iterator[Pages[T]]: ...
    def __iter__(self) -> Iterator[T]: ...


class AsyncPages(Protocol[T]):
    """One page of an async list (predictkit.AsyncPage); ``async for`` walks every item."""

    @property
    def items(self) -> list[T]: ...
    @property
    def next_cursor(self) -> str | None: ...
    @property
    def previous_cursor(self) -> str | None: ...
    def has_next_page(self) -> bool: ...
    async def get_next_page(self) -> AsyncPages[T] | None: ...
    def by_page(self) -> AsyncIterator[AsyncPages[T]]: ...
    def __aiter__(self) -> AsyncIterator[T]: ...


class AsyncPaginated(Protocol[T]):
    """What an ``async_`` list method returns (predictkit.AsyncPaginator): ``await`` it for the
    first page, or ``async for`` over every item."""

    def __await__(self) -> Generator[Any, None, AsyncPages[T]]: ...
    def by_page(self) -> AsyncIterator[AsyncPages[T]]: ...
    def __aiter__(self) -> AsyncIterator[T]: ...


class Raw(Protocol[T_co]):
    """A typed result with its HTTP response (predictkit.RawResponse)."""

    @property
    def parsed(self) -> T_co: ...
    @property
    def headers(self) -> httpx.Headers: ...
    @property
    def status_code(self) -> int: ...
    @property
    def request_id(self) -> str | None: ...
    def parse(self) -> T_co: ...


PageRequest = Callable[[str | Unset, int | Unset], dict[str, Any]]
"""Builds the request for one page from its cursor and page size."""


class Transport(Protocol):
    """What the resources need from the client; predictkit's shared layer implements it."""

    def model_path(self, model: str | ModelName, *, version: bool) -> tuple[str, str, int]:
        """Owner, name and version number of a model reference (version 0 when ``version`` is
        False, which forbids one). Raises ValueError on a malformed reference."""
        ...

    def send(self, request: dict[str, Any], parse: Callable[[Any], T], options: CallOptions) -> T: ...

    async def asend(self, request: dict[str, Any], parse: Callable[[Any], T], options: CallOptions) -> T: ...

    def pages(
        self, request: PageRequest, parse: Callable[[Any], Listing[T]], options: CallOptions, paging: Paging
    ) -> Pages[T]: ...

    def async_pages(
        self, request: PageRequest, parse: Callable[[Any], Listing[T]], options: CallOptions, paging: Paging
    ) -> AsyncPaginated[T]: ...

    def raw(self, method: Callable[P, T]) -> Callable[P, Raw[T]]: ...

    def async_raw(self, method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[Raw[T]]]: ...

    def async_raw_pages(self, method: Callable[P, AsyncPaginated[T]]) -> Callable[P, Awaitable[Raw[AsyncPages[T]]]]: ...


class Resources:
    """The generated resources as attributes, created on first use (so an unused tag costs no
    import). predictkit's Client inherits it: a new tag in openapi.yaml is a new attribute."""

    _transport: Transport

    @functools.cached_property
    def models(self) -> ModelsResource:
        """Operations tagged ``models`` in openapi.yaml."""
        from .models import ModelsResource

        return ModelsResource(self._transport)

    @functools.cached_property
    def model_categories(self) -> ModelCategoriesResource:
        """Operations tagged ``model_categories`` in openapi.yaml."""
        from .model_categories import ModelCategoriesResource

        return ModelCategoriesResource(self._transport)

    @functools.cached_property
    def hardware(self) -> HardwareResource:
        """Operations tagged ``hardware`` in openapi.yaml."""
        from .hardware import HardwareResource

        return HardwareResource(self._transport)

    @functools.cached_property
    def users(self) -> UsersResource:
        """Operations tagged ``users`` in openapi.yaml."""
        from .users import UsersResource

        return UsersResource(self._transport)

    @functools.cached_property
    def authenticated_user(self) -> AuthenticatedUserResource:
        """Operations tagged ``authenticated_user`` in openapi.yaml."""
        from .authenticated_user import AuthenticatedUserResource

        return AuthenticatedUserResource(self._transport)

    @functools.cached_property
    def search(self) -> SearchResource:
        """Operations tagged ``search`` in openapi.yaml."""
        from .search import SearchResource

        return SearchResource(self._transport)

    @functools.cached_property
    def uploads(self) -> UploadsResource:
        """Operations tagged ``uploads`` in openapi.yaml."""
        from .uploads import UploadsResource

        return UploadsResource(self._transport)

    @functools.cached_property
    def variables(self) -> VariablesResource:
        """Operations tagged ``variables`` in openapi.yaml."""
        from .variables import VariablesResource

        return VariablesResource(self._transport)
