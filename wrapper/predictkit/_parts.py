"""PUT one upload part to its pre-signed URL: a ``url_call`` sent through ``API`` like any other.

A part is idempotent (the same bytes to the same URL), so the Sender retries it like a GET: on
connection errors, timeouts, 408, 429 and 5xx, with the client's backoff. Each attempt streams
the part afresh from its source (``body()``), and before a retry the part's bytes are taken
back from the progress count (``on_retry``). Only ``Content-Type``, ``Content-Length`` and
``User-Agent`` are sent: never the API token, the client's extra headers nor an http_client's
credentials, which belong to the API. Errors never carry the URL's query (its signature) nor
the storage's error body (S3 echoes the signature in some).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Callable, Generator, Iterator
from typing import TYPE_CHECKING

import httpx

from predictkit._errors import APIError, APIStatusError

if TYPE_CHECKING:
    from predictkit._api import API
    from predictkit._call import Body, Call

MAX_PART_RESPONSE = 64 * 1024
"""Bytes of a part response kept (it is normally empty; an error page is cut here)."""


def without_query(url: httpx.URL) -> str:
    """The URL for messages and errors: a pre-signed URL's query is a credential."""
    return str(url.copy_with(query=None, fragment=None))


class PartSender:
    """Sends upload parts through one API (sync, or async on the running loop)."""

    def __init__(self, api: API) -> None:
        self._api = api

    def _call(
        self, url: str, body: Body, headers: dict[str, str], on_retry: Callable[[], None]
    ) -> Call:
        return self._api.url_call(
            "PUT",
            url,
            headers=headers,
            body=body,
            on_retry=on_retry,
            response_cap=MAX_PART_RESPONSE,
        )

    def put(
        self,
        url: str,
        body: Callable[[], Generator[bytes, None, None]],
        headers: dict[str, str],
        on_retry: Callable[[], None],
    ) -> httpx.Response:
        """PUT ``body()`` to ``url`` until it succeeds; the 2xx response (body read, capped)."""
        with _unsigned(url):
            return self._api.send(self._call(url, body, headers, on_retry), _itself)

    async def async_put(
        self,
        url: str,
        body: Callable[[], AsyncGenerator[bytes, None]],
        headers: dict[str, str],
        on_retry: Callable[[], None],
    ) -> httpx.Response:
        with _unsigned(url):
            return await self._api.asend(self._call(url, body, headers, on_retry), _itself)


def _itself(response: httpx.Response) -> httpx.Response:
    return response


@contextlib.contextmanager
def _unsigned(url: str) -> Iterator[None]:
    """A part's errors without the URL's query or fragment, nor the storage's error body."""
    try:
        yield
    except APIError as error:
        error.url = without_query(httpx.URL(url))
        if isinstance(error, APIStatusError):
            error.body = None
        raise
