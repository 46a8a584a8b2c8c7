"""A hard deadline for a sync attempt's every socket operation, before the response exists.

httpx's timeouts apply to each socket operation, so a server dripping its response *headers*
a byte at a time resets the read timeout with every byte and holds a sync call until httpcore's
header size limit. (Once a response exists, predictkit._body bounds its body; async attempts run
under asyncio.timeout.) The network backend here sits under httpcore's connection pool: while a
deadline is set for the current context (`within`, around one attempt's ``http.send``), every
connect, TLS handshake, read and write of the connection in use waits at most the time left,
and none starts once it is spent, so the attempt ends at its deadline with httpcore's own
ConnectTimeout, WriteTimeout or ReadTimeout. Outside `within` it only passes calls through.

It is installed (`install`) on the pools of the httpx.Client a predictkit Client uses, built
there or passed in. httpx gives no public way to choose a pool's backend, so this sets the
pool's ``_network_backend``; where that attribute is missing (another httpx, a transport that
is not an httpx.HTTPTransport) nothing is installed and sync headers keep httpx's per-read
bound. Connections a passed-in http_client opened before it was installed keep their old
streams. What no backend can bound: the system's DNS lookup, and the wait for a free pooled
connection (bounded by the timeout's pool value).

httpcore is imported only where needed (it loads anyio): ``import predictkit`` stays light, and
the classes are duck-typed httpcore backends rather than subclasses.
"""

from __future__ import annotations

import contextvars
import socket
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from predictkit._watchdog import WATCHDOG

if TYPE_CHECKING:
    import ssl

    import httpcore
    import httpx

SMALL_WRITE = 16 * 1024
"""Writes up to this size fit an idle connection's send buffer: one send(), which waits at most
the time left. httpcore's write loops over send() with the timeout it was given, so a larger
one (an upload) could be stretched by a peer taking bytes slowly: the watchdog that bounds sync
body reads (predictkit._watchdog) ends it at the deadline."""

EXPIRED = "the response did not complete within its deadline"

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "predictkit_deadline", default=None
)


class within:  # lower case: used like a function, ``with within(deadline):``
    """Bound the socket operations of the block to ``deadline`` (time.monotonic(); None:
    httpx's per-operation timeouts only). A class, not a generator: it runs on every attempt."""

    __slots__ = ("_deadline", "_token")

    def __init__(self, deadline: float | None) -> None:
        self._deadline = deadline

    def __enter__(self) -> None:
        self._token = _deadline.set(self._deadline)

    def __exit__(self, *exc: object) -> None:
        _deadline.reset(self._token)


def _capped(timeout: float | None, phase: Literal["Connect", "Read", "Write"]) -> float | None:
    """``timeout`` cut to the time left before the current deadline; raise httpcore's
    ``{phase}Timeout`` when none is left."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise _expired(phase)
    return left if timeout is None else min(timeout, left)


class DeadlineStream:
    """A connection whose operations are cut to the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _capped(timeout, "Read"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        capped = _capped(timeout, "Write")
        deadline = _deadline.get()
        sock = None
        if deadline is not None and len(buffer) > SMALL_WRITE:
            sock = self._inner.get_extra_info("socket")
        if deadline is None or not isinstance(sock, socket.socket):
            self._inner.write(buffer, capped)
            return
        key = WATCHDOG.arm(deadline, sock)
        try:
            self._inner.write(buffer, capped)
        except Exception as exc:
            if WATCHDOG.disarm(key):  # it shut the connection down at the deadline
                raise _expired("Write") from exc
            raise
        WATCHDOG.disarm(key)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> DeadlineStream:
        capped = _capped(timeout, "Connect")
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend:
    """Opens `DeadlineStream` connections through another backend."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> DeadlineStream:
        capped = _capped(timeout, "Connect")
        stream = self._inner.connect_tcp(host, port, capped, local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> DeadlineStream:
        capped = _capped(timeout, "Connect")
        return DeadlineStream(self._inner.connect_unix_socket(path, capped, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(client: httpx.Client) -> None:
    """Put a DeadlineBackend under every pool of ``client`` (its transport and its proxy
    mounts) that has none yet; a transport without an httpcore pool is left as it is."""
    import httpcore  # noqa: PLC0415 - see the module docstring; httpx.Client loaded it already

    transports = [client._transport, *client._mounts.values()]  # private: see the module docstring
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend):
            pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]


def _expired(phase: str) -> Exception:
    """httpcore's ``{phase}Timeout``, as its own operations raise it."""
    import httpcore  # noqa: PLC0415 - see the module docstring

    error: type[httpcore.TimeoutException] = getattr(httpcore, f"{phase}Timeout")
    return error(EXPIRED)
