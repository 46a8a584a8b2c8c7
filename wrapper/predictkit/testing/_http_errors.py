"""The one exception routes raise for a non-422 error: status, message and extra headers."""

from __future__ import annotations


class ApiError(Exception):
    """Answered as ``{"detail": message}`` with its status code and headers (e.g. Retry-After)."""

    def __init__(
        self, status_code: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.headers = headers or {}
