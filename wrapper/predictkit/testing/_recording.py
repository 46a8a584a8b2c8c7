"""The request log: what reached the server, in arrival order, with secrets redacted."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

REDACTED = "<redacted>"


def redact_body(body: bytes) -> bytes:
    """The body with a JSON ``webhook.secret`` (a non-empty string) replaced by ``<redacted>``.

    Any other body (not JSON, not an object, no such secret) comes back byte-identical.
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError)
        return body
    webhook = data.get("webhook") if isinstance(data, dict) else None
    if not isinstance(webhook, dict):
        return body
    secret = webhook.get("secret")
    if not isinstance(secret, str) or not secret:
        return body
    webhook["secret"] = REDACTED
    return json.dumps(data, separators=(",", ":")).encode()


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it; ``status_code`` is None when the connection was dropped."""

    method: str
    path: str
    operation_id: str | None
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status_code: int | None


@dataclass
class _Entry:
    method: str
    path: str
    operation_id: str | None
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""
    status_code: int | None = None


class RequestLog:
    """Entries are opened on arrival and completed as the answer goes out; readers get copies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[_Entry] = []

    def open(
        self,
        method: str,
        path: str,
        operation_id: str | None,
        query: dict[str, list[str]],
        headers: dict[str, str],
    ) -> _Entry:
        redacted = {k: REDACTED if k == "authorization" else v for k, v in headers.items()}
        entry = _Entry(method, path, operation_id, query, redacted)
        with self._lock:
            self._entries.append(entry)
        return entry

    def set_body(self, entry: _Entry, body: bytes) -> None:
        redacted = redact_body(body)
        with self._lock:
            entry.body = redacted

    def set_status(self, entry: _Entry, status_code: int | None) -> None:
        with self._lock:
            entry.status_code = status_code

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return [
                RecordedRequest(
                    method=e.method,
                    path=e.path,
                    operation_id=e.operation_id,
                    query={k: list(v) for k, v in e.query.items()},
                    headers=dict(e.headers),
                    body=e.body,
                    status_code=e.status_code,
                )
                for e in self._entries
            ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
