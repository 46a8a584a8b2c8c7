"""The network backend that cuts a sync attempt's socket operations to its deadline, over real
loopback connections (the trickled-headers behaviour end to end is in
tests/reliability/test_trickled_headers.py)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpcore
import pytest
from predictkit._deadline_backend import DeadlineBackend, DeadlineStream, within


@pytest.fixture
def connected() -> Iterator[tuple[DeadlineStream, socket.socket]]:
    """(our stream through the backend, the server's end of the connection)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        stream = DeadlineBackend(httpcore.SyncBackend()).connect_tcp("127.0.0.1", port, timeout=10)
        peer, _ = listener.accept()
    with peer:
        yield stream, peer
        stream.close()


def test_outside_a_deadline_it_only_passes_calls_through(
    connected: tuple[DeadlineStream, socket.socket],
) -> None:
    stream, peer = connected
    stream.write(b"ping", timeout=10)
    assert peer.recv(4) == b"ping"
    peer.sendall(b"pong")
    assert stream.read(4, timeout=10) == b"pong"
    assert isinstance(stream.get_extra_info("socket"), socket.socket)


def test_no_read_starts_once_the_deadline_is_spent(
    connected: tuple[DeadlineStream, socket.socket],
) -> None:
    stream, peer = connected
    peer.sendall(b"waiting")  # bytes are there: only the deadline refuses them
    with within(time.monotonic() - 1), pytest.raises(httpcore.ReadTimeout):
        stream.read(7, timeout=60)
    assert stream.read(7, timeout=10) == b"waiting"


def test_a_read_waits_at_most_the_time_left(
    connected: tuple[DeadlineStream, socket.socket],
) -> None:
    stream, _ = connected
    # The peer never writes and the read's own timeout is an hour: only the deadline ends it.
    with within(time.monotonic() + 0.05), pytest.raises(httpcore.ReadTimeout):
        stream.read(1, timeout=3600)


def test_a_large_write_to_a_peer_that_stops_reading_ends_at_the_deadline(
    connected: tuple[DeadlineStream, socket.socket],
) -> None:
    stream, _ = connected
    # Far more than the socket buffers hold: the write can only end by the deadline.
    with within(time.monotonic() + 0.1), pytest.raises(httpcore.WriteTimeout):
        stream.write(b"x" * (64 * 1024 * 1024), timeout=3600)


def test_no_connection_is_opened_once_the_deadline_is_spent() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        backend = DeadlineBackend(httpcore.SyncBackend())
        with within(time.monotonic() - 1), pytest.raises(httpcore.ConnectTimeout):
            backend.connect_tcp("127.0.0.1", port, timeout=10)
