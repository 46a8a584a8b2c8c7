"""Client: configuration, environment variables, and the httpx clients it sends with."""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import AsyncGenerator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import attrs
import httpx

from predictkit import _aio
from predictkit._checks import positive_seconds
from predictkit._errors import ClientClosedError
from predictkit._http import Call, RetryPolicy, Sender
from predictkit._ratelimit import CreateRate
from predictkit._schedule import RunTimes
from predictkit._version import __version__
from predictkit.reconcile import DEFAULT_RECONCILE_WINDOW, CreatedLedger
from predictkit.resources.predictions import Predictions
from predictkit.resources.uploads import Uploads

if TYPE_CHECKING:
    import asyncio

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "Client"]

DEFAULT_BASE_URL = "https://api.wrift.ai/v1"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""30 s to read, write or get a pooled connection, 10 s to connect: nothing waits forever.
Calls that ask the server to hold the response (Prefer: wait, streams) extend the read timeout
by exactly what they ask for."""
DEFAULT_MAX_RETRIES = 2
USER_AGENT = f"predictkit/{__version__} httpx/{httpx.__version__}"

_UNSET: Any = object()


class _Pool:
    """The httpx clients behind a Client and its with_options() copies.

    The sync client is created on first use. Async clients are created lazily, one per event
    loop, because an httpx.AsyncClient cannot outlive the loop it first ran on: calling
    asyncio.run() twice with one Client works. Each is closed when its loop shuts down: a
    small async generator is parked on the loop, and the loop's shutdown_asyncgens() (which
    asyncio.run() and asyncio.Runner call) finalises it, closing the client's connections.
    """

    def __init__(
        self,
        http_client: httpx.Client | None,
        async_http_client: httpx.AsyncClient | None,
        transport: httpx.BaseTransport | None,
        async_transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        self._sync = http_client
        self._owns_sync = http_client is None
        self._async_given = async_http_client
        self._transport = transport
        self._async_transport = async_transport
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[httpx.AsyncClient, AsyncGenerator[None, None]]
        ] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self.closed = False

    def sync(self) -> httpx.Client:
        if self.closed:
            raise ClientClosedError("This predictkit Client is closed; create a new one.")
        with self._lock:
            if self._sync is None:
                self._sync = httpx.Client(transport=self._transport, follow_redirects=False)
            return self._sync

    async def for_running_loop(self) -> httpx.AsyncClient:
        if self.closed:
            raise ClientClosedError("This predictkit Client is closed; create a new one.")
        if self._async_given is not None:
            return self._async_given
        loop = _aio.running_loop()
        with self._lock:
            entry = self._by_loop.get(loop)
            if entry is not None and not entry[0].is_closed:
                return entry[0]
            client = httpx.AsyncClient(transport=self._async_transport, follow_redirects=False)
            closer = _close_at_loop_shutdown(client)
            self._by_loop[loop] = (client, closer)
        await anext(closer)  # parked at its yield: the loop now finalises it at shutdown
        return client

    def close(self) -> None:
        self.closed = True
        if self._owns_sync and self._sync is not None:
            self._sync.close()

    async def aclose(self) -> None:
        self.close()
        loop = _aio.running_loop()
        with self._lock:
            entry = self._by_loop.pop(loop, None)
        if entry is not None:
            await entry[1].aclose()  # runs the closer's finally: the client closes


async def _close_at_loop_shutdown(client: httpx.AsyncClient) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await client.aclose()


def _timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        parts = (value.connect, value.read, value.write, value.pool)
        if not all(positive_seconds(p) for p in parts):
            raise ValueError(
                "Every part of the timeout must be a positive, finite number of seconds: a "
                f"request must never hang forever (got {value!r})."
            )
        return value
    if not positive_seconds(value):
        raise ValueError(
            "timeout must be a positive, finite number of seconds or an httpx.Timeout, "
            f"not {value!r}."
        )
    return httpx.Timeout(float(value))


def _reconcile_window(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 3600:
        raise ValueError(
            f"reconcile_window must be seconds from 0 (never reconcile) to 3600, not {value!r}."
        )
    return float(value)


def _base_url(value: str) -> str:
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL:
        url = httpx.URL("invalid:")
    if url.scheme not in ("http", "https") or not url.host or url.query or url.fragment:
        raise ValueError(
            f"api_base_url must be an http(s) URL such as {DEFAULT_BASE_URL!r}, not {value!r}."
        )
    return value.rstrip("/")


class Client:
    """A WriftAI API client; one per application is enough (it pools connections).

    ``access_token`` and ``api_base_url`` default to the ``WRIFTAI_ACCESS_TOKEN`` and
    ``WRIFTAI_API_BASE_URL`` environment variables. A missing token is reported, as
    MissingTokenError, by the first call. Pass ``http_client``/``async_http_client`` or
    ``transport``/``async_transport`` to control the HTTP layer (proxies, mocks, test servers).
    Use it as a context manager, or call ``close()`` / ``await aclose()``.
    """

    predictions: Predictions
    uploads: Uploads

    def __init__(
        self,
        access_token: str | None = None,
        api_base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        reconcile_window: float = DEFAULT_RECONCILE_WINDOW,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a whole number >= 0, not {max_retries!r}.")
        token = access_token if access_token is not None else os.environ.get("WRIFTAI_ACCESS_TOKEN")
        base = api_base_url or os.environ.get("WRIFTAI_API_BASE_URL") or DEFAULT_BASE_URL
        self._sender = Sender(
            base_url=_base_url(base),
            token=token or None,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            timeout=_timeout(timeout),
            policy=RetryPolicy(max_retries=max_retries),
        )
        self._pool = _Pool(http_client, async_http_client, transport, async_transport)
        self._reconcile_window = _reconcile_window(reconcile_window)
        self._created = CreatedLedger()
        self._create_rate = CreateRate()
        self._run_times = RunTimes()  # the models' recent run times, for waits without a stream
        self.predictions = Predictions(self)
        self.uploads = Uploads(self)

    @property
    def api_base_url(self) -> str:
        return self._sender.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._sender.timeout

    @property
    def max_retries(self) -> int:
        return self._sender.policy.max_retries

    @property
    def reconcile_window(self) -> float:
        """Seconds a create whose outcome is unknown looks for its prediction (0: never)."""
        return self._reconcile_window

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout = _UNSET,
        max_retries: int = _UNSET,
        headers: Mapping[str, str] = _UNSET,
        reconcile_window: float = _UNSET,
    ) -> Client:
        """A copy with other options that shares this client's connections (and its lifetime)."""
        copy = object.__new__(Client)
        sender = self._sender
        if timeout is not _UNSET:
            sender = attrs.evolve(sender, timeout=_timeout(timeout))
        if max_retries is not _UNSET:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise ValueError(f"max_retries must be a whole number >= 0, not {max_retries!r}.")
            sender = attrs.evolve(
                sender, policy=attrs.evolve(sender.policy, max_retries=max_retries)
            )
        if headers is not _UNSET:
            sender = attrs.evolve(sender, headers={**sender.headers, **headers})
        copy._sender = sender
        copy._pool = self._pool
        copy._created = self._created
        copy._create_rate = self._create_rate
        copy._run_times = self._run_times
        copy._reconcile_window = (
            self._reconcile_window
            if reconcile_window is _UNSET
            else _reconcile_window(reconcile_window)
        )
        copy.predictions = Predictions(copy)
        copy.uploads = Uploads(copy)
        return copy

    def _send(self, call: Call, *, stream: bool = False) -> httpx.Response:
        response = self._sender.send(self._pool.sync(), call, stream=stream)
        self._create_rate.observe(response.headers)  # x-ratelimit-* pace create_many
        return response

    async def _asend(self, call: Call, *, stream: bool = False) -> httpx.Response:
        response = await self._sender.asend(
            await self._pool.for_running_loop(), call, stream=stream
        )
        self._create_rate.observe(response.headers)
        return response

    def _is_api_url(self, url: httpx.URL) -> bool:
        """Whether ``url`` is on the API's own origin (the only place the token may go)."""
        api = httpx.URL(self._sender.base_url)
        return (url.scheme, url.host, url.port) == (api.scheme, api.host, api.port)

    def close(self) -> None:
        """Close the connections this client opened (not an http_client you passed in)."""
        self._pool.close()

    async def aclose(self) -> None:
        """Close the connections, including this event loop's async ones."""
        await self._pool.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        token = "set" if self._sender.token else "missing"
        return f"Client(api_base_url={self.api_base_url!r}, access_token=<{token}>)"
