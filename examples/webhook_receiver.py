"""A webhook endpoint that accepts only deliveries signed with your secret.

    python examples/webhook_receiver.py

Serves on 127.0.0.1 (a free port), creates a prediction whose webhook points at it, and prints
each verified delivery until the prediction ends. A delivery that does not verify is answered
400 and ignored. In your app, the handler is `do_POST`; the secret is the one you gave in the
prediction's `webhook`. Reads WRIFTAI_ACCESS_TOKEN (and WRIFTAI_API_BASE_URL if set): the
reference server delivers only to loopback, the service only to an address it can reach.
"""

from __future__ import annotations

import queue
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from predictkit import Client, WebhookVerificationError, is_terminal, verify_webhook

MODEL = "demo/echo"
SECRET = secrets.token_urlsafe(24)
MAX_BODY = 1024 * 1024
verified: queue.Queue[dict[str, Any]] = queue.Queue()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if not 0 < length <= MAX_BODY:
            self.send_response(413 if length else 400)
            self.end_headers()
            return
        raw = self.rfile.read(length)  # the raw bytes: re-serialised JSON would not verify
        try:
            body = verify_webhook(raw, dict(self.headers), SECRET)
        except WebhookVerificationError as exc:
            print(f"rejected: {exc}")
            self.send_response(400)
        else:
            verified.put(body)
            self.send_response(204)  # answer fast; do slow work elsewhere (deliveries can repeat)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the deliveries are printed by main()."""


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    try:
        with Client() as client:
            p = client.predictions.create(
                {"input": {"prompt": "ping"}, "webhook": {"url": url, "secret": SECRET}},
                model=MODEL,
            )
            print(f"created {p.id}; webhooks go to {url}")
            for _ in range(20):  # a status change each; the prediction ends long before
                body = verified.get(timeout=60)
                print(f"verified delivery: {body['id']} {body['status']}")
                if is_terminal(body["status"]):
                    break
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
