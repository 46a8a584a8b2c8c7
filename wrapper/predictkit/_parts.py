"""PUT one upload part to its pre-signed URL, with retries: the uploads' narrow adapter onto the
client's HTTP layer.

It drives its own attempts over what ``API`` exposes (the pooled httpx client, the timeout, the
retry policy, the User-Agent), because each attempt must stream the part afresh from its
source and give its bytes back to the progress count when it is retried.

A part is idempotent (the same bytes to the same URL), so it is retried like a GET: on connection
errors, timeouts, 408, 429 and 5xx, with the client's backoff. Each attempt builds a fresh
request from ``body()``, which streams the part from its source again. Only ``Content-Type``,
``Content-Length`` and ``User-Agent`` are sent: never the API token nor the client's extra
headers, which belong to the API. Errors never carry the URL's query (its signature) nor the
storage's error body (S3 echoes the signature in some).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import TYPE_CHECKING

import httpx

from predictkit import _aio
from predictkit._call import Call, Retry
from predictkit._error_map import error_from_exception, error_from_response
from predictkit._errors import APIError

if TYPE_CHECKING:
    from predictkit._api import API

log = logging.getLogger("predictkit")

MAX_PART_RESPONSE = 64 * 1024
"""Bytes of a part response kept (it is normally empty; an error page is cut here)."""

_AWAY = ("authorization", "cookie", "proxy-authorization")


def without_query(url: httpx.URL) -> str:
    """The URL for messages and errors: a pre-signed URL's query is a credential."""
    return str(url.copy_with(query=None, fragment=None))


class PartSender:
    """Sends upload parts through one API (sync, or async on the running loop)."""

    def __init__(self, api: API) -> None:
        self._api = api

    def _request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        url: str,
        body: Iterator[bytes] | AsyncIterator[bytes],
        headers: dict[str, str],
    ) -> httpx.Request:
        user_agent = self._api.user_agent
        request = http.build_request(
            "PUT",
            url,
            content=body,
            headers={**headers, "User-Agent": user_agent},
            timeout=self._api.timeout,
        )
        for name in _AWAY:  # an http_client passed in may carry defaults meant for the API
            request.headers.pop(name, None)
        return request

    def _retry_delay(
        self,
        outcome: httpx.Response | httpx.RequestError,
        request: httpx.Request,
        attempt: int,
        on_retry: Callable[[], None],
    ) -> float:
        """Seconds before the next attempt (after ``on_retry()``), or the typed error, raised,
        when the policy gives up."""
        policy = self._api.retry_policy
        if isinstance(outcome, httpx.Response):
            delay = policy.delay_after_status(outcome, attempt, Retry.IDEMPOTENT)
            if delay is None:
                raise _status_error(outcome)
        else:
            delay = policy.delay_after_exception(outcome, attempt, Retry.IDEMPOTENT)
            if delay is None:
                raise _transport_error(outcome, request)
        what = outcome.status_code if isinstance(outcome, httpx.Response) else type(outcome)
        where = without_query(request.url)
        log.info("retrying PUT %s in %.2fs after %s (retry %d)", where, delay, what, attempt + 1)
        on_retry()
        return delay

    def put(
        self,
        url: str,
        body: Callable[[], Generator[bytes, None, None]],
        headers: dict[str, str],
        on_retry: Callable[[], None],
    ) -> httpx.Response:
        """PUT ``body()`` to ``url`` until it succeeds; the 2xx response (body read, capped)."""
        http = self._api.http()
        attempt = 0
        while True:
            content = body()
            request = self._request(http, url, content, headers)
            outcome: httpx.Response | httpx.RequestError
            try:
                outcome = _read_capped(http.send(request, stream=True))
            except httpx.RequestError as exc:
                outcome = exc
            finally:
                content.close()  # ends the generator's reads now, not at garbage collection
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                return outcome
            time.sleep(self._retry_delay(outcome, request, attempt, on_retry))
            attempt += 1

    async def async_put(
        self,
        url: str,
        body: Callable[[], AsyncGenerator[bytes, None]],
        headers: dict[str, str],
        on_retry: Callable[[], None],
    ) -> httpx.Response:
        """Async twin of ``put``."""
        http = await self._api.ahttp()
        attempt = 0
        while True:
            content = body()
            request = self._request(http, url, content, headers)
            outcome: httpx.Response | httpx.RequestError
            try:
                outcome = await _aread_capped(await http.send(request, stream=True))
            except httpx.RequestError as exc:
                outcome = exc
            finally:
                await content.aclose()
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                return outcome
            await _aio.sleep(self._retry_delay(outcome, request, attempt, on_retry))
            attempt += 1


def _read_capped(streamed: httpx.Response) -> httpx.Response:
    """The response with its body read, up to MAX_PART_RESPONSE bytes (the rest is dropped)."""
    kept = bytearray()
    try:
        for chunk in streamed.iter_bytes():
            kept += chunk[: MAX_PART_RESPONSE - len(kept)]
            if len(kept) >= MAX_PART_RESPONSE:
                break
    finally:
        streamed.close()
    return _kept(streamed, bytes(kept))


async def _aread_capped(streamed: httpx.Response) -> httpx.Response:
    kept = bytearray()
    try:
        async for chunk in streamed.aiter_bytes():
            kept += chunk[: MAX_PART_RESPONSE - len(kept)]
            if len(kept) >= MAX_PART_RESPONSE:
                break
    finally:
        await streamed.aclose()
    return _kept(streamed, bytes(kept))


_FRAMING = ("content-encoding", "content-length", "transfer-encoding")


def _kept(streamed: httpx.Response, body: bytes) -> httpx.Response:
    """A read response from a streamed one and its (decoded, capped) body."""
    headers = [(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in _FRAMING]
    return httpx.Response(
        streamed.status_code, headers=headers, content=body, request=streamed.request
    )


def _status_error(response: httpx.Response) -> APIError:
    error = error_from_response(response, hints=False)
    error.url = without_query(response.request.url)
    error.body = None
    return error


def _transport_error(exc: httpx.RequestError, request: httpx.Request) -> APIError:
    error = error_from_exception(exc, request, Call({}))
    error.url = without_query(request.url)
    return error
