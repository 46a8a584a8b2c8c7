"""The httpx clients a Client sends with: ``Pool`` makes them on first use (the sync one, and
one async client per event loop) and closes the ones it made."""

from __future__ import annotations

import threading
import weakref
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING

import httpx

from predictkit import _aio
from predictkit._deadline_backend import install as install_deadline_backend
from predictkit._errors import ClientClosedError

if TYPE_CHECKING:
    import asyncio


class Pool:
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
        self._sync: httpx.Client | None = None
        self._given_sync = http_client
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
                sync = self._given_sync
                if sync is None:
                    sync = httpx.Client(transport=self._transport, follow_redirects=False)
                install_deadline_backend(sync)
                self._sync = sync
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
