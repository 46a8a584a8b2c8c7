"""ReferenceServer: the reference API on a real socket, served from a background thread.

The thread owns an asyncio loop running uvicorn (with the connection-registering h11 protocol
from ``_connections``). Test code talks to the server over HTTP, and to its state only through
the methods here, which hop onto the loop (``run_coroutine_threadsafe``) or use thread-safe
structures (faults, request log, rate window).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

import httpx
import uvicorn

from predictkit.testing._app import FAULT_TARGETS, build_app
from predictkit.testing._connections import ConnectionRegistry
from predictkit.testing._context import Context
from predictkit.testing._faults import Fault, FaultQueue
from predictkit.testing._ratelimit import FixedWindow, RateLimit
from predictkit.testing._recording import RecordedRequest, RequestLog
from predictkit.testing._store import Store
from predictkit.testing._uploads import check_part_fault, part_fault_key
from predictkit.testing._webhooks import WebhookDispatcher

T = TypeVar("T")

STREAM_MODES = ("all", "requested")
"""``streams="all"``: every prediction has an event stream (as the official client assumes);
``"requested"``: only those created with ``"stream": true`` (the API does not say which)."""
_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class _Uvicorn(uvicorn.Server):
    """uvicorn.Server that reports when it accepts connections."""

    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self._ready.set()


class ReferenceServer:
    """A local, faithful WriftAI v1 API for tests: demo models, faults, rate limits, webhooks.

    ``start()`` (or ``with``) serves on ``host:port`` (port 0 picks a free one); ``url`` is the
    API base URL to give a client, ``token`` the one accepted bearer token. Webhooks are
    delivered to loopback addresses only, unless ``allow_remote_webhooks=True``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        wait_ceiling: float = 60.0,
        stream_idle_timeout: float = 30.0,
        rate_limit: RateLimit | None = None,
        max_predictions: int = 10_000,
        max_body_bytes: int = 1_048_576,
        webhook_retries: int = 3,
        webhook_backoff: float = 0.2,
        webhook_timeout: float = 5.0,
        allow_remote_webhooks: bool = False,
        streams: str = "all",
    ) -> None:
        if streams not in STREAM_MODES:
            raise ValueError(f"streams must be one of {STREAM_MODES}, not {streams!r}")
        self._streams = streams
        self.host = host
        self.token = token if token is not None else "pk-test-" + secrets.token_urlsafe(24)
        self._port = port
        self._wait_ceiling = wait_ceiling
        self._stream_idle_timeout = stream_idle_timeout
        self._max_predictions = max_predictions
        self._max_body_bytes = max_body_bytes
        self._webhook_retries = webhook_retries
        self._webhook_backoff = webhook_backoff
        self._webhook_timeout = webhook_timeout
        self._allow_remote_webhooks = allow_remote_webhooks
        self._faults = FaultQueue()
        self._log = RequestLog()
        self._window = FixedWindow(rate_limit)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._uvicorn: _Uvicorn | None = None
        self._ctx: Context | None = None
        self._error: BaseException | None = None

    def __repr__(self) -> str:  # never shows the token
        state = "running" if self._thread else "stopped"
        return f"<ReferenceServer {self.url if self._thread else self.host} {state}>"

    # --- addresses ----------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        """``http://host:port``: where files and upload parts are served (outside ``/v1``)."""
        return f"http://{self.host}:{self._port}"

    @property
    def url(self) -> str:
        """The API base URL, ``http://host:port/v1`` (no trailing slash)."""
        return self.origin + "/v1"

    # --- start and stop -----------------------------------------------------------------------

    def start(self) -> ReferenceServer:
        """Serve from a background thread; returns once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("The server is already running.")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._port))
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]
        ready = threading.Event()
        self._error = None
        self._thread = threading.Thread(
            target=self._run,
            args=(sock, ready),
            name=f"predictkit-server-{self._port}",
            daemon=True,
        )
        self._thread.start()
        if not ready.wait(_START_TIMEOUT) or self._error is not None:
            self.stop()
            raise RuntimeError("The reference server did not start.") from self._error
        return self

    def _run(self, sock: socket.socket, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(sock, ready))
        except BaseException as exc:  # reported to start(); the thread must not die silently
            self._error = exc
        finally:
            ready.set()
            loop.close()

    async def _serve(self, sock: socket.socket, ready: threading.Event) -> None:
        connections = ConnectionRegistry()
        store = Store(self.origin, max_predictions=self._max_predictions)
        ctx = Context(
            base_url=self.url,
            token=self.token,
            store=store,
            faults=self._faults,
            log=self._log,
            window=self._window,
            connections=connections,
            wait_ceiling=self._wait_ceiling,
            stream_idle_timeout=self._stream_idle_timeout,
            max_body_bytes=self._max_body_bytes,
            streams=self._streams,
        )
        async with httpx.AsyncClient(timeout=self._webhook_timeout) as client:
            dispatcher = WebhookDispatcher(
                client,
                store.spawn,
                retries=self._webhook_retries,
                backoff=self._webhook_backoff,
                allow_remote=self._allow_remote_webhooks,
            )
            store.on_prediction_change = dispatcher.enqueue
            config = uvicorn.Config(
                build_app(ctx),
                http=connections.protocol_class(),
                lifespan="off",
                log_level="error",
                access_log=False,
                timeout_graceful_shutdown=2,
            )
            self._uvicorn = _Uvicorn(config, ready)
            self._ctx = ctx
            try:
                await self._uvicorn.serve(sockets=[sock])
            finally:
                ctx.closing.set()
                await store.cancel_tasks()
                sock.close()

    def stop(self) -> None:
        """Stop serving: waits and streams end, background tasks are cancelled, the thread exits."""
        thread, loop, server, ctx = self._thread, self._loop, self._uvicorn, self._ctx
        if thread is None:
            return
        if loop is not None and server is not None and ctx is not None and not loop.is_closed():

            def shut_down() -> None:
                ctx.closing.set()
                server.should_exit = True

            with contextlib.suppress(RuntimeError):  # the loop closed in between
                loop.call_soon_threadsafe(shut_down)
        thread.join(_STOP_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError("The reference server thread did not stop.")
        self._thread = self._loop = self._uvicorn = self._ctx = None

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- test controls ------------------------------------------------------------------------

    def _on_loop(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._loop is None or self._ctx is None:
            coro.close()
            raise RuntimeError("The reference server is not running.")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(_STOP_TIMEOUT)

    def reset(self) -> None:
        """Drop predictions, faults and the request log; restore the seeded data."""
        self._faults.clear()
        self._log.clear()
        self._window.reset()
        if self._ctx is not None:
            self._on_loop(self._ctx.store.reset())

    def inject(self, operation_id: str, fault: Fault, *, times: int = 1) -> None:
        """The next ``times`` requests to ``operation_id`` (openapi operationId) get ``fault``."""
        if operation_id not in FAULT_TARGETS:
            raise ValueError(f"Unknown operation id: {operation_id!r}")
        self._faults.add(operation_id, fault, times)

    def inject_part(self, fault: Fault, *, index: int | None = None, times: int = 1) -> None:
        """The next ``times`` PUTs of upload part ``index`` (0-based, of any upload; None: of any
        part) get ``fault`` (status, html, delay or drop; see ``testing._uploads``)."""
        check_part_fault(fault, index)
        self._faults.add(part_fault_key(index), fault, times)

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """What reached the server, in arrival order (a copy; the token is redacted)."""
        return self._log.snapshot()

    def prediction_count(self) -> int:
        """How many predictions the server holds (evicted ones are gone)."""
        if self._ctx is None:
            return 0
        store = self._ctx.store

        async def count() -> int:
            return len(store.predictions)

        return self._on_loop(count())
