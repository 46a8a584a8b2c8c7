"""Open connections by peer address, so a fault can close one with no HTTP response at all.

An ASGI app cannot close its connection: uvicorn answers 500 when the app raises or returns
without a response. The server therefore runs uvicorn with a subclass of its h11 protocol that
registers each transport here. ``close`` flushes what was already written (a truncated body, some
stream events), closes the socket and waits until uvicorn has seen the loss, so uvicorn neither
logs an error nor writes anything after the cut. The client sees the connection end mid-message:
httpx raises RemoteProtocolError (or ReadError), never an HTTP status.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field

from uvicorn.protocols.http.h11_impl import H11Protocol

Peer = tuple[str, int]


@dataclass
class _Open:
    transport: asyncio.BaseTransport
    closed: asyncio.Event = field(default_factory=asyncio.Event)


class ConnectionRegistry:
    """Transports of the server's live connections, keyed by the ASGI scope's ``client``."""

    def __init__(self) -> None:
        self._open: dict[Peer, _Open] = {}

    def protocol_class(self) -> type[H11Protocol]:
        """A uvicorn http protocol class that reports its connections to this registry."""
        registry = self

        class RegisteredH11Protocol(H11Protocol):
            def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
                # asyncio sets TCP_NODELAY only on sockets created with proto=IPPROTO_TCP, not on
                # the pre-bound listening socket's children; without it the response body waits
                # ~40 ms for the client's delayed ACK after the headers (Nagle).
                sock = transport.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                super().connection_made(transport)
                if self.client is not None:
                    registry._open[self.client] = _Open(transport)

            def connection_lost(self, exc: Exception | None) -> None:
                entry = registry._open.pop(self.client, None) if self.client else None
                super().connection_lost(exc)
                if entry is not None:
                    entry.closed.set()

        return RegisteredH11Protocol

    async def close(self, peer: Peer | None, wait: float = 5.0) -> None:
        """Close ``peer``'s connection after flushing, and wait until it is gone."""
        entry = self._open.get(peer) if peer is not None else None
        if entry is None:
            return
        entry.transport.close()
        await asyncio.wait_for(entry.closed.wait(), wait)
