"""WebhookReceiver: a tiny HTTP server that records webhook deliveries for tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

Delivery = tuple[dict[str, str], bytes]


class WebhookReceiver:
    """Records POSTs on ``127.0.0.1``; answers 500 to the first ``fail_first``, then 200.

    Use it as a context manager; ``url`` is where to point a prediction's webhook, ``deliveries``
    the recorded ``(headers, body)`` pairs (header names lower-case, body the raw bytes).
    """

    def __init__(self, *, fail_first: int = 0) -> None:
        self._fail_first = fail_first
        self._received = 0
        self._deliveries: list[Delivery] = []
        self._condition = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("The receiver is not running.")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/webhook"

    @property
    def deliveries(self) -> list[Delivery]:
        with self._condition:
            return list(self._deliveries)

    def wait_for(self, count: int, timeout: float) -> list[Delivery]:
        """The deliveries once there are at least ``count``; TimeoutError after ``timeout``."""
        with self._condition:
            if not self._condition.wait_for(lambda: len(self._deliveries) >= count, timeout):
                raise TimeoutError(
                    f"Got {len(self._deliveries)} webhook deliveries, expected {count}."
                )
            return list(self._deliveries)

    def _record(self, headers: dict[str, str], body: bytes) -> int:
        with self._condition:
            self._received += 1
            failing = self._received <= self._fail_first
            if not failing:
                self._deliveries.append((headers, body))
                self._condition.notify_all()
            return 500 if failing else 200

    def __enter__(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._record(headers, body)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: tests read deliveries, not logs."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5.0)
        self._server = self._thread = None
