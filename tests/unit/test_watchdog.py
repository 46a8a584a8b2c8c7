"""The watchdog that makes a sync read's deadline hard (predictkit._watchdog), on real sockets.

Over a real HTTP connection on 127.0.0.1 (`Watched`, what predictkit._body arms around every
sync body read), and over socket pairs (`Watchdog` itself). The watchdog's clock is a fake one
the test moves: a deadline passes when the test says so, never by waiting. What a test waits
for is the watchdog's own work: a read on a socket it shut down returns b"" at once. Each
socket has a long timeout as a safety net, so a watchdog that failed to fire fails the test
rather than hanging it.
"""

from __future__ import annotations

import http.server
import os
import signal
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from predictkit import _watchdog
from predictkit._watchdog import Watchdog, Watched

SAFETY = 60.0
"""Seconds a blocked read may last before the test fails: only a broken watchdog gets there."""


class Clock:
    """The watchdog's clock (its ``time.monotonic``), moved by hand."""

    def __init__(self) -> None:
        self.now = time.monotonic()  # near the real one: the watchdog's sleeps stay sane

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(_watchdog, "time", fake)
    return fake


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.settimeout(SAFETY)
        yield ours, theirs


def shut(sock: socket.socket) -> bool:
    """Whether the watchdog shut ``sock`` down (a read returns b"" rather than blocking)."""
    sock.settimeout(SAFETY)
    return sock.recv(1) == b""


# --- a server that answers, or stalls mid-body ---------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a connection serves request after request
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def do_GET(self) -> None:
        if self.path == "/stall":  # promises 10 bytes, sends none until the test ends
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.flush()
            self.server.release.wait(SAFETY / 2)  # a broken watchdog fails on the short body
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.release = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@pytest.fixture
def server() -> Iterator[_Server]:
    served = _Server()
    thread = threading.Thread(target=served.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.release.set()
        served.shutdown()
        served.server_close()
        thread.join(SAFETY)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    # httpx's own per-read timeout is the safety net only: the deadline is the watchdog's.
    with httpx.Client(timeout=SAFETY / 2) as http_client:
        yield http_client


def opened(client: httpx.Client, url: str) -> httpx.Response:
    return client.send(client.build_request("GET", url), stream=True)


def sentinel_fired(clock: Clock, deadline: float) -> None:
    """Move the clock past ``deadline`` and wait until the process's watchdog has dealt with
    every read due by then. The sentinel read is due before any other (so arming it wakes the
    thread), and the thread ends every read due in one round under its lock: once the
    sentinel's socket is shut and disarming it (which takes the lock) returns, the round is
    over."""
    clock.now = max(clock.now, deadline + 1)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        with Watched(_Stream.response(ours), 0.0) as watched:
            assert shut(ours)
        assert watched.fired


class _Stream:
    """A network stream whose ``get_extra_info("socket")`` answers ``sock``."""

    def __init__(self, sock: object) -> None:
        self._sock = sock

    def get_extra_info(self, name: str) -> object:
        return self._sock if name == "socket" else None

    @classmethod
    def response(cls, sock: object) -> httpx.Response:
        return httpx.Response(200, extensions={"network_stream": cls(sock)})


# --- Watched: the watchdog around one read of a real HTTP response --------------------------


def test_a_read_past_its_deadline_is_ended_and_says_so(
    clock: Clock, server: _Server, client: httpx.Client
) -> None:
    response = opened(client, server.url + "/stall")
    with Watched(response, clock.now - 1) as watched, pytest.raises(httpx.TransportError):
        response.read()  # the server sends nothing: only the watchdog ends this read
    assert watched.fired  # read after the read, as predictkit._body does on a clean end


def test_a_read_ended_by_the_watchdog_says_so_while_still_armed(
    clock: Clock, server: _Server, client: httpx.Client
) -> None:
    response = opened(client, server.url + "/stall")
    with Watched(response, clock.now - 1) as watched:
        with pytest.raises(httpx.TransportError):
            response.read()
        assert watched.fired  # predictkit._body asks in its except clause, before disarming
    assert watched.fired


def test_a_read_done_before_its_deadline_leaves_the_connection_to_the_pool(
    clock: Clock, server: _Server, client: httpx.Client
) -> None:
    response = opened(client, server.url + "/ok")
    with Watched(response, clock.now + 10) as watched:
        assert response.read() == b"ok"
    assert not watched.fired
    sentinel_fired(clock, clock.now + 10)  # that read's deadline has now passed
    assert client.get(server.url + "/ok").content == b"ok"
    assert server.connections == 1  # its connection was not shut down afterwards: reused


def test_without_a_deadline_a_read_is_not_watched(
    clock: Clock, server: _Server, client: httpx.Client
) -> None:
    response = opened(client, server.url + "/ok")
    with Watched(response, None) as watched:
        assert response.read() == b"ok"
    assert not watched.fired


def test_a_response_without_a_real_socket_is_not_watched(clock: Clock) -> None:
    """A transport whose network stream is no socket (a custom one) gets no watchdog: it has
    nothing the watchdog could shut down."""
    for response in (
        httpx.Response(200),  # no network stream at all (httpx.MockTransport)
        _Stream.response("not a socket"),
        _Stream.response(None),
    ):
        with Watched(response, clock.now - 1) as watched:
            sentinel_fired(clock, clock.now)  # the watchdog has dealt with all that is due
            assert not watched.fired


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a platform that does not fork")
def test_a_forked_child_has_a_watchdog_of_its_own(clock: Clock) -> None:
    """A process forked while the watchdog's thread runs (multiprocessing's fork, preforked
    server workers) does not have that thread; its reads are still ended at their deadline."""
    sentinel_fired(clock, clock.now)  # the process's watchdog thread is running
    ours, theirs = socket.socketpair()
    with ours, theirs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: a fork with threads
            pid = os.fork()
        if pid == 0:  # the child: it answers through its exit status only
            code = 1
            try:
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(int(SAFETY))  # a deadlocked child dies rather than lingers
                with Watched(_Stream.response(ours), clock.now - 1) as watched:
                    code = 0 if shut(ours) and watched.fired else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0


# --- Watchdog: deadlines over socket pairs ---------------------------------------------------


def test_reads_are_ended_in_deadline_order_and_only_once_due(
    clock: Clock, pair: tuple[socket.socket, socket.socket]
) -> None:
    """A deadline that is exactly now has passed; one half a second away has not, however long
    the watchdog runs, until the clock gets there."""
    ours, _ = pair
    later, later_peer = socket.socketpair()
    with later, later_peer:
        watchdog = Watchdog()
        later_key = watchdog.arm(clock.now + 0.5, later)
        key = watchdog.arm(clock.now, ours)
        assert shut(ours)
        # The thread went on from that read to the next deadline under its lock: it is asleep.
        assert watchdog.fired(later_key) is False
        # Arming while the thread sleeps until a deadline still compares against that one.
        assert watchdog.disarm(watchdog.arm(clock.now + 1, ours)) is False
        assert watchdog.disarm(key) is True
        assert watchdog.disarm(later_key) is False
        later_peer.sendall(b"x")
        assert later.recv(1) == b"x"  # never shut down


def test_disarming_one_read_leaves_the_others_watched(clock: Clock) -> None:
    watchdog = Watchdog()
    socks = [socket.socketpair() for _ in range(3)]
    try:
        first, second, sentinel = (ours for ours, _ in socks)
        first_key = watchdog.arm(clock.now + 10, first)
        second_key = watchdog.arm(clock.now + 20, second)
        assert watchdog.disarm(second_key) is False  # that read finished in time
        clock.now += 15
        sentinel_key = watchdog.arm(0.0, sentinel)  # due first: wakes the thread at once
        assert shut(sentinel)
        assert shut(first)  # due by now too: ended in the same round
        assert watchdog.disarm(first_key) is True
        assert watchdog.disarm(sentinel_key) is True
    finally:
        for ours, theirs in socks:
            ours.close()
            theirs.close()


def test_the_watchdog_serves_read_after_read_that_each_time_out(clock: Clock) -> None:
    """After it has ended every read it watched (nothing left to wait for), the same thread
    still ends the next one; and a read it ended is forgotten once disarmed."""
    watchdog = Watchdog()
    for _ in range(3):
        ours, theirs = socket.socketpair()
        with ours, theirs:
            key = watchdog.arm(clock.now - 1, ours)
            assert shut(ours)
            assert watchdog.disarm(key) is True
            assert watchdog.fired(key) is False
            assert watchdog.disarm(key) is False  # reported once
    assert watchdog._fired == set()  # nothing kept per read that ended


def test_a_socket_the_watchdog_cannot_shut_down_does_not_stop_it(clock: Clock) -> None:
    """Shutting a socket that is not connected (or already closed) fails; the watchdog shrugs
    and goes on ending the reads due after it."""
    watchdog = Watchdog()
    unconnected = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed, closed_peer = socket.socketpair()
    ours, theirs = socket.socketpair()
    with unconnected, closed_peer, ours, theirs:
        watchdog.arm(clock.now - 3, unconnected)
        watchdog.arm(clock.now - 2, closed)
        closed.close()
        key = watchdog.arm(clock.now - 1, ours)
        assert shut(ours)
        assert watchdog.disarm(key) is True


def test_the_watchdog_thread_is_a_named_daemon(clock: Clock) -> None:
    """It never keeps the interpreter alive, and a thread dump says whose it is."""
    watchdog = Watchdog()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        watchdog.disarm(watchdog.arm(clock.now + 10, ours))
        thread = watchdog._thread
        assert thread is not None and thread.is_alive()
        assert thread.daemon is True
        assert thread.name == "predictkit-deadlines"
        watchdog.disarm(watchdog.arm(clock.now + 10, ours))
        assert watchdog._thread is thread  # one thread for every read
