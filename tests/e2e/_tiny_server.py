"""A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for event-stream behaviour the
reference server does not have on cue: a stream that ignores ``after_id`` and replays, one that
only pings. Each request goes to ``handle(request, reply)``; every request is recorded.

One thread per connection; a JSON reply keeps the connection open for the next request, an
event stream closes it. Everything a handler sends stops when the client goes away or the
server stops, and every loop a handler runs is bounded.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
TOKEN = "tok-tiny-server"


def prediction(status: str = "starting") -> dict[str, object]:
    """A prediction as the API sends it, with an event stream."""
    return {
        "id": PID,
        "model": {"owner": "demo", "name": "echo", "version_number": 1},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "status": status,
        "setup_time": None,
        "execution_time": None,
        "input": {},
        "output": None,
        "error": None,
        "metrics": None,
        "stream": True,
    }


def frame(event_id: str, event: str, data: object) -> bytes:
    return f"id: {event_id}\nevent: {event}\ndata: {json.dumps(data)}\n\n".encode()


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Names in lower case."""

    @property
    def is_stream(self) -> bool:
        return self.path.endswith("/stream")


@dataclass
class Reply:
    """How a handler answers: ``json`` (the connection stays open), or ``events`` and
    ``pings`` (an event stream, closed after)."""

    sock: socket.socket
    stopping: threading.Event
    keep_open: bool = True

    def json(self, body: object, status: int = 200) -> None:
        data = json.dumps(body).encode()
        head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        self.sock.sendall(f"{head}Content-Length: {len(data)}\r\n\r\n".encode() + data)

    def events(self, body: bytes = b"") -> None:
        """An event stream's headers and ``body``; the connection closes after."""
        self.keep_open = False
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
        self.sock.sendall(head + body)

    def pings(self, *, every: float, most: int) -> int:
        """After ``events()``: a ``: ping`` comment every ``every`` seconds until the client
        goes away (returns how many went out before) or ``most`` went out (returns -1)."""
        for sent in range(most):
            try:
                self.sock.sendall(b": ping\n\n")
            except OSError:
                return sent
            if self.stopping.wait(every):
                return -1
        return -1

    def hold(self, *, most: float) -> None:
        """After ``events()``: send nothing until the client goes away or ``most`` seconds."""
        self.sock.settimeout(most)
        with contextlib.suppress(OSError):
            self.sock.recv(1)


Handler = Callable[[Request, Reply], None]


@dataclass
class TinyServer:
    handle: Handler
    requests: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._lock = threading.Lock()
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/v1"

    def stream_requests(self) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.is_stream]

    def get_requests(self) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if not r.is_stream]

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            buffer = b""
            try:
                while not self.stopping.is_set():
                    while b"\r\n\r\n" not in buffer:
                        chunk = sock.recv(65536)
                        if not chunk:
                            return
                        buffer += chunk
                    head, _, buffer = buffer.partition(b"\r\n\r\n")
                    request = _parse(head.decode("latin-1"))
                    with self._lock:
                        self.requests.append(request)
                    reply = Reply(sock, self.stopping)
                    self.handle(request, reply)
                    if not reply.keep_open:
                        return
            except OSError:
                return


@contextmanager
def serving(handle: Handler) -> Iterator[TinyServer]:
    server = TinyServer(handle)
    thread = threading.Thread(target=server._accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        with contextlib.suppress(OSError):
            server._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        server._listener.close()
        thread.join(10)


def _parse(head: str) -> Request:
    first, *lines = head.split("\r\n")
    method, target, _ = first.split(" ", 2)
    url = urlsplit(target)
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, url.path, parse_qs(url.query), headers)
