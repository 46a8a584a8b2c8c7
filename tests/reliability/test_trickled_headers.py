"""A server dripping its response *headers* cannot hold a call past its deadline.

httpx's read timeout applies to each socket read, so headers arriving a byte at a time reset it
with every byte; before the fix a sync call waited until httpcore's header size limit (tens of
minutes at this pace; here: until the suite's per-test timeout). A small proxy in front of the
reference server forwards requests and drips the answers it is told to; each test asserts the
typed error (or the reconciled create) and that the headers were still incomplete when the
call ended, never how many seconds passed.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpcore
import httpx
import pytest
from predictkit import APITimeoutError, Client, WaitOptions, WaitTimeoutError
from predictkit._deadline_backend import DeadlineBackend, install
from predictkit.testing import ReferenceServer

DRIP = 0.05
"""Seconds between two dripped bytes: each well within any read timeout below."""
PADDING = 4000
"""Bytes of an extra header line before the real ones: dripped, the headers take 200 s."""
HOP = frozenset({"connection", "content-length", "transfer-encoding", "keep-alive"})


class TricklingProxy:
    """Forwards each request to ``upstream``; answers those ``trickle(method, path)`` picks a
    byte every DRIP seconds, a long header first, and counts the bytes it got out."""

    def __init__(self, upstream: ReferenceServer, trickle: Callable[[str, str], bool]) -> None:
        self._upstream = upstream
        self._trickle = trickle
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.dripped: list[tuple[int, int]] = []
        """(bytes sent, bytes of the whole head) per dripped answer, once it ended."""
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/v1"

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):  # wakes the blocked accept(); close() alone does not
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=10)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # closed
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as reader:
            for _ in range(100):  # requests on one connection: bounded
                request = _read_request(reader)
                if request is None:
                    return
                method, path, headers, body = request
                status, reason, answer_headers, answer = self._forward(method, path, headers, body)
                head = f"HTTP/1.1 {status} {reason}\r\n".encode()
                lines = [(k, v) for k, v in answer_headers if k.lower() not in HOP]
                lines.append(("Content-Length", str(len(answer))))
                if not self._trickle(method, path):
                    head += b"".join(f"{k}: {v}\r\n".encode() for k, v in lines) + b"\r\n"
                    conn.sendall(head + answer)
                    continue
                head += f"X-Padding: {'a' * PADDING}\r\n".encode()
                head += b"".join(f"{k}: {v}\r\n".encode() for k, v in lines) + b"\r\n"
                self._drip(conn, head)
                return

    def _drip(self, conn: socket.socket, head: bytes) -> None:
        sent = 0
        try:
            while sent < len(head) and not self._stop.wait(DRIP):
                conn.sendall(head[sent : sent + 1])
                sent += 1
        except OSError:
            pass  # the client gave up and closed the connection
        with self._lock:
            self.dripped.append((sent, len(head)))

    def _forward(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        origin = self._upstream.origin.removeprefix("http://")
        upstream = http.client.HTTPConnection(origin, timeout=30)
        try:
            wanted = {k: v for k, v in headers if k.lower() not in HOP and k.lower() != "host"}
            upstream.request(method, path, body=body or None, headers=wanted)
            response = upstream.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            upstream.close()


def _read_request(reader: Any) -> tuple[str, str, list[tuple[str, str]], bytes] | None:
    line = reader.readline(65536)
    if not line.strip():
        return None
    method, path, _ = line.decode().split(" ", 2)
    headers: list[tuple[str, str]] = []
    for _ in range(200):
        raw = reader.readline(65536).decode().rstrip("\r\n")
        if not raw:
            break
        name, _, value = raw.partition(":")
        headers.append((name.strip(), value.strip()))
    length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
    return method, path, headers, reader.read(length) if length else b""


@pytest.fixture
def proxy(
    predictkit_server: ReferenceServer, request: pytest.FixtureRequest
) -> Iterator[TricklingProxy]:
    trickle: Callable[[str, str], bool] = request.param
    proxy = TricklingProxy(predictkit_server, trickle)
    try:
        yield proxy
    finally:
        proxy.close()


def every(method: str, path: str) -> bool:
    return True


def creates(method: str, path: str) -> bool:
    return method == "POST" and path.endswith("/predictions")


def incomplete(proxy: TricklingProxy) -> None:
    """Every dripped answer ended (the client closed it) before its headers were complete."""
    assert proxy.dripped
    assert all(sent < total for sent, total in proxy.dripped)


def running(server: ReferenceServer) -> str:
    with Client(server.token, server.url) as client:
        return client.predictions.create({"input": {"sleep": 60}}, model="demo/echo").id


@pytest.mark.parametrize("proxy", [every], indirect=True)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_get_whose_headers_trickle_ends_at_its_timeout(
    predictkit_server: ReferenceServer, proxy: TricklingProxy, mode: str
) -> None:
    pid = running(predictkit_server)
    client = Client(predictkit_server.token, proxy.url, timeout=1, max_retries=0)
    with client, pytest.raises(APITimeoutError) as caught:
        if mode == "sync":
            client.predictions.get(pid)
        else:
            asyncio.run(client.predictions.async_get(pid))
    assert "timed out (ReadTimeout)" in caught.value.message
    assert caught.value.attempts == 1
    proxy.close()  # every drip is over: its count is final
    incomplete(proxy)


@pytest.mark.parametrize("proxy", [every], indirect=True)
def test_a_sync_wait_whose_headers_trickle_ends_at_its_deadline(
    predictkit_server: ReferenceServer, proxy: TricklingProxy
) -> None:
    pid = running(predictkit_server)
    with (
        Client(predictkit_server.token, proxy.url, timeout=30) as client,
        pytest.raises(WaitTimeoutError) as caught,
    ):
        client.predictions.wait(pid, WaitOptions(timeout=1))
    assert caught.value.prediction is None  # no answer ever completed
    assert caught.value.prediction_id == pid
    proxy.close()
    incomplete(proxy)


@pytest.mark.parametrize("proxy", [creates], indirect=True)
def test_a_sync_create_whose_headers_trickle_is_reconciled_not_repeated(
    predictkit_server: ReferenceServer, proxy: TricklingProxy
) -> None:
    # The create reached the server and ran; its answer's headers never completed. Cut at the
    # 1 s read deadline, it is an outcome unknown after sending: found, not sent again.
    with Client(predictkit_server.token, proxy.url, timeout=1, reconcile_window=5.0) as client:
        p = client.predictions.create({"input": {"trickled": True}}, model="demo/echo")
    assert p.input_ == {"trickled": True}
    assert predictkit_server.prediction_count() == 1
    creates_sent = [r for r in predictkit_server.requests if r.operation_id == "create_prediction"]
    assert len(creates_sent) == 1
    proxy.close()
    incomplete(proxy)


def test_the_deadline_backend_is_under_the_clients_own_pool_and_a_passed_one() -> None:
    """If an httpx upgrade moved the pool's backend, this fails instead of the bound quietly
    going away."""
    with Client("t", "http://127.0.0.1:9/v1") as ours:
        pool = ours._pool.sync()._transport._pool  # type: ignore[attr-defined]
        assert isinstance(pool._network_backend, DeadlineBackend)
    with httpx.Client() as theirs:
        Client("t", "http://127.0.0.1:9/v1", http_client=theirs)._pool.sync()  # its first use
        assert isinstance(theirs._transport._pool._network_backend, DeadlineBackend)  # type: ignore[attr-defined]
        install(theirs)  # installing twice keeps one layer
        inner = theirs._transport._pool._network_backend._inner  # type: ignore[attr-defined]
        assert isinstance(inner, httpcore.SyncBackend)  # one layer, over httpcore's own
