"""The one place that sends: auth, timeouts, retries, logging and error mapping.

The decisions (whether and when to retry, which error a response becomes) are pure functions;
`send` and `asend` are thin sync/async shells around them.

Retry rules. Idempotent calls (GET, cancel) retry on connection errors, timeouts, 408, 429 and
5xx. Create retries only when the request provably did not reach the server or was refused
before any work (connect failures, 429); any other failure after sending raises
CreateOutcomeUnknownError, because repeating the POST could run the prediction twice.
Backoff is exponential with jitter and honours Retry-After (and, on 429, x-ratelimit-reset)
up to a cap. A call may carry a deadline (a wait's), which cuts attempts and retry sleeps.

Bounds. The timeout's read value bounds each attempt's whole response, however slowly its
bytes arrive (httpx alone bounds each socket read); bodies are read within that deadline and
within size caps (see predictkit._body).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from typing import TypedDict, TypeVar

import attrs
import httpx

from predictkit import _aio
from predictkit._body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    MAX_ERROR_BODY,
    aread_body,
    read_body,
    timed_out,
)
from predictkit._call import PREDICTION_CREATE, Call, Retry, Target
from predictkit._deadline_backend import within
from predictkit._error_map import (
    MAX_RETRY_AFTER,
    error_from_exception,
    error_from_response,
    not_sent,
    retry_after,
    tokenless,
)
from predictkit._errors import (
    APIError,
    CreateOutcomeUnknownError,
    InvalidInputError,
)

log = logging.getLogger("predictkit")

E = TypeVar("E", bound=APIError)

_DOT_OR_EMPTY = frozenset({"", ".", ".."})
"""Path segments no API path has (see Sender.build)."""

_AWAY = ("authorization", "cookie", "proxy-authorization")
"""Headers a URL outside the API never gets from an http_client's defaults (meant for the API)."""


@attrs.frozen
class RetryPolicy:
    """Pure retry decisions. ``delay_*`` return seconds to sleep, or None to give up."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    jitter: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """Exponential delay for retry number ``attempt`` (0-based), jittered down by <= 25%."""
        return min(self.base_delay * 2.0**attempt, self.max_delay) * (1 - 0.25 * self.jitter())

    def delay_after_status(
        self, response: httpx.Response, attempt: int, retry: Retry
    ) -> float | None:
        status = response.status_code
        if attempt >= self.max_retries or retry is Retry.NEVER:
            return None
        retryable = (
            status == 429 if retry is Retry.CREATE else status in (408, 429) or status >= 500
        )
        if not retryable:
            return None
        asked = retry_after(response.headers, rate_limited=status == 429)
        if asked is None:
            return self.backoff(attempt)
        return asked if asked <= MAX_RETRY_AFTER else None

    def delay_after_exception(
        self, exc: httpx.RequestError, attempt: int, retry: Retry
    ) -> float | None:
        if attempt >= self.max_retries or retry is Retry.NEVER:
            return None
        if retry is Retry.CREATE and not not_sent(exc):
            return None
        if isinstance(
            exc,
            httpx.UnsupportedProtocol
            | httpx.ProxyError
            | httpx.LocalProtocolError
            | httpx.TooManyRedirects,
        ):
            return None  # repeating the same request cannot help
        return self.backoff(attempt)


@attrs.frozen
class Sender:
    """Sends Calls with auth and policy; shared by the sync and async paths of a Client."""

    base_url: str
    token: str | None = attrs.field(repr=False)
    headers: Mapping[str, str]
    timeout: httpx.Timeout
    policy: RetryPolicy
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    """Largest decoded body (or stream event) held in memory; see predictkit._body."""
    _merged: list[tuple[list[tuple[bytes, bytes]], httpx.Headers]] = attrs.field(
        init=False, factory=list, eq=False, repr=False
    )
    """The last http client defaults seen, and them merged with ours (at most one entry)."""

    def build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        call: Call,
        content: Generator[bytes, None, None] | AsyncGenerator[bytes, None] | None = None,
    ) -> httpx.Request:
        """The request for one attempt (``content``: this attempt's body, from ``call.body``)."""
        if call.target is not Target.API:
            return self._build_url(http, call, content)
        kwargs = dict(call.kwargs)
        path = kwargs.pop("url")
        if _DOT_OR_EMPTY.intersection(path.split("/")[1:]):
            # httpx resolves dot segments: users.get("..") would send GET /v1, and
            # uploads.complete("..") POST /v1/complete. No API path has an empty, "." or ".."
            # segment, so one can only come from an argument.
            raise InvalidInputError(
                f"{str(kwargs.get('method', '')).upper()} {path} was not sent: a name or id in "
                "it is empty, '.' or '..', which would address another path."
            )
        url = self.base_url + path
        own = kwargs.pop("headers", None)
        try:
            if own or http.cookies or http.params:  # httpx merges everything, as for any request
                headers = {**self._api_headers, **(own or {}), **self._auth}
                return http.build_request(url=url, headers=headers, timeout=self.timeout, **kwargs)
            # The usual call (a get, a page): what http.build_request would send, without
            # merging the same constant headers into the client's defaults each time
            # (``_attempt`` sets the timeout; the Request copies the headers).
            return httpx.Request(url=url, headers=self._merged_headers(http), **kwargs)
        except (TypeError, ValueError, httpx.InvalidURL) as exc:
            # A body json cannot encode (NaN, a set), a query too long for a URL, a header
            # value httpx cannot encode: nothing was sent. The cause's own text may quote a
            # header value, so it is not shown.
            raise InvalidInputError(
                f"{str(kwargs.get('method', '')).upper()} {path} was not sent: "
                f"its arguments cannot form a request ({type(exc).__name__}). Pass JSON values "
                "(dicts with string keys, lists, strings, finite numbers, booleans, None), "
                "strings of a sensible length and ASCII header values."
            ) from None

    @property
    def _api_headers(self) -> dict[str, str]:
        return {"Accept-Encoding": ACCEPT_ENCODING, **self.headers}

    @property
    def _auth(self) -> dict[str, str]:
        """The Authorization header, or none: without a token public endpoints answer, and
        others raise MissingTokenError."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _merged_headers(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Headers:
        """The http client's default headers with this Sender's and the token over them (not to
        be changed: shared by later calls); made again only when the defaults differ from the
        last ones seen."""
        defaults = http.headers.raw
        last = self._merged[0] if self._merged else None
        if last is None or last[0] != defaults:
            merged = httpx.Headers(http.headers)
            merged.update({**self._api_headers, **self._auth})
            last = (defaults, merged)
            self._merged[:] = [last]  # one entry: a Sender meets one client's defaults
        return last[1]

    def _build_url(
        self,
        http: httpx.Client | httpx.AsyncClient,
        call: Call,
        content: Generator[bytes, None, None] | AsyncGenerator[bytes, None] | None,
    ) -> httpx.Request:
        """A request to an absolute URL: only the User-Agent of our headers, none of an
        http_client's credentials, and the token only to the API's own origin when the call
        allows it."""
        kwargs = dict(call.kwargs)
        if content is not None:
            kwargs["content"] = content
        url = httpx.URL(kwargs.pop("url"))
        headers = {"User-Agent": self.headers.get("User-Agent", ""), **kwargs.pop("headers", {})}
        request = http.build_request(url=url, headers=headers, timeout=self.timeout, **kwargs)
        for name in _AWAY:
            request.headers.pop(name, None)
        api = httpx.URL(self.base_url)
        on_api = (url.scheme, url.host, url.port) == (api.scheme, api.host, api.port)
        if call.target is Target.URL_TOKEN_ON_API_ORIGIN and on_api and self.token:
            request.headers["Authorization"] = f"Bearer {self.token}"
        return request

    def _decide(
        self,
        call: Call,
        request: httpx.Request,
        outcome: httpx.Response | httpx.RequestError,
        attempt: int,
        started: float,
    ) -> float:
        """Log one attempt; return the delay before the next, or raise the final typed error."""
        elapsed = (time.perf_counter() - started) * 1000
        where = f"{request.method} {request.url.path}"
        if isinstance(outcome, httpx.Response):
            log.debug("%s -> %s (%.1f ms)", where, outcome.status_code, elapsed)
            delay = self.policy.delay_after_status(outcome, attempt, call.retry)
            if delay is None or not call.leaves_time_for(delay):
                if call.retry is Retry.CREATE and outcome.status_code >= 500:
                    raise _counted(_unknown_after_status(outcome, call), attempt)
                api = call.target is Target.API
                error = error_from_response(outcome, prediction_id=call.prediction_id, hints=api)
                if (
                    api
                    and error.status_code in (401, 403)
                    and "authorization" not in request.headers
                ):
                    error = tokenless(error)
                raise _counted(_outside_api(error, call), attempt)
            what = str(outcome.status_code)
        else:
            log.debug("%s -> %s (%.1f ms)", where, type(outcome).__name__, elapsed)
            delay = self.policy.delay_after_exception(outcome, attempt, call.retry)
            if delay is None or not call.leaves_time_for(delay):
                failure = error_from_exception(outcome, request, call)
                raise _counted(_outside_api(failure, call), attempt) from outcome
            what = type(outcome).__name__
        log.info(
            "retrying %s in %.2fs after %s (retry %d of %d)",
            where,
            delay,
            what,
            attempt + 1,
            self.policy.max_retries,
        )
        if call.on_retry is not None:
            call.on_retry()
        return delay

    def send(self, http: httpx.Client, call: Call, *, stream: bool = False) -> httpx.Response:
        """Send with retries; return a 2xx response (unread when ``stream``) or raise."""
        attempt = 0
        while True:
            content = None if call.body is None else call.body()
            assert content is None or isinstance(content, Generator), "a sync body for send"
            request, ends, started = self._attempt(http, call, content)
            outcome: httpx.Response | httpx.RequestError
            try:
                with within(ends):  # headers too, however slowly they come
                    outcome = http.send(request, stream=True, follow_redirects=_follow(http, call))
                if outcome.is_success or (stream and _redirect_outside_api(outcome, call)):
                    if not stream:
                        read_body(outcome, deadline=ends, **self._limit(call))
                    _log_success(request, outcome, started)
                    return outcome
                read_body(outcome, deadline=ends, limit=MAX_ERROR_BODY, truncate=True)
            except httpx.RequestError as exc:
                outcome = exc
            finally:
                if content is not None:
                    content.close()  # ends the body's reads now, not at garbage collection
            time.sleep(self._decide(call, request, outcome, attempt, started))
            attempt += 1

    async def asend(
        self, http: httpx.AsyncClient, call: Call, *, stream: bool = False
    ) -> httpx.Response:
        """Async twin of `send`; the whole attempt runs under its response deadline."""
        attempt = 0
        while True:
            content = None if call.body is None else call.body()
            assert content is None or isinstance(content, AsyncGenerator), "an async body"
            request, ends, started = self._attempt(http, call, content)
            outcome: httpx.Response | httpx.RequestError
            try:
                async with _aio.deadline(ends):
                    outcome = await http.send(
                        request, stream=True, follow_redirects=_follow(http, call)
                    )
                    returned = outcome.is_success or (
                        stream and _redirect_outside_api(outcome, call)
                    )
                    if returned and stream:
                        _log_success(request, outcome, started)
                        return outcome
                    limits = self._limit(call) if returned else _ERROR_LIMIT
                    await aread_body(outcome, deadline=ends, **limits)
                if returned:
                    _log_success(request, outcome, started)
                    return outcome
            except httpx.RequestError as exc:
                outcome = exc
            except _aio.Expired:
                outcome = timed_out(request)
            finally:
                if content is not None:
                    await content.aclose()
            await _aio.sleep(self._decide(call, request, outcome, attempt, started))
            attempt += 1

    def _attempt(
        self,
        http: httpx.Client | httpx.AsyncClient,
        call: Call,
        content: Generator[bytes, None, None] | AsyncGenerator[bytes, None] | None,
    ) -> tuple[httpx.Request, float | None, float]:
        """One attempt's request with its timeout (cut to the call's deadline), when its whole
        response must have arrived (time.monotonic()), and when it started (for the log)."""
        request = self.build(http, call, content)
        timeout = call.attempt_timeout(self.timeout)
        request.extensions["timeout"] = timeout.as_dict()
        return request, call.response_deadline(timeout), time.perf_counter()

    def _limit(self, call: Call) -> _Limit:
        """How much of a 2xx body is read: the client's cap, or the call's own (kept, cut)."""
        if call.response_cap is None:
            return {"limit": self.max_response_bytes, "truncate": False}
        return {"limit": call.response_cap, "truncate": True}


class _Limit(TypedDict):
    limit: int
    truncate: bool


_ERROR_LIMIT: _Limit = {"limit": MAX_ERROR_BODY, "truncate": True}


def _counted(error: APIError, attempt: int) -> APIError:
    """Record on a final error how many times the request was sent (``attempt`` is 0-based)."""
    error.attempts = attempt + 1
    return error


def _follow(http: httpx.Client | httpx.AsyncClient, call: Call) -> bool:
    """Never follow a URL call's redirects, even on an http_client that would: each hop is
    checked by the caller."""
    return http.follow_redirects and call.target is Target.API


def _redirect_outside_api(response: httpx.Response, call: Call) -> bool:
    """A URL call that is opened (a download hop) gets its redirects back: the caller checks
    each hop. Sent with ``send`` (an upload part), a redirect is a failure like any other."""
    return call.target is not Target.API and response.is_redirect


def _outside_api(error: E, call: Call) -> E:
    """For a URL outside the API, the error's URL loses its query (a signed URL's query is a
    credential)."""
    if call.target is not Target.API and error.url:
        error.url = str(httpx.URL(error.url).copy_with(query=None))
    return error


def _log_success(request: httpx.Request, response: httpx.Response, started: float) -> None:
    if not log.isEnabledFor(logging.DEBUG):
        return  # the usual case: no arguments computed for a line nobody reads
    elapsed = (time.perf_counter() - started) * 1000
    log.debug(
        "%s %s -> %s (%.1f ms)", request.method, request.url.path, response.status_code, elapsed
    )


def _unknown_after_status(response: httpx.Response, call: Call) -> CreateOutcomeUnknownError:
    typed = error_from_response(response, hints=False)  # no "retried where safe": it was not
    once = call.write_once or PREDICTION_CREATE
    return CreateOutcomeUnknownError(
        f"{typed.message} {once.what[:1].upper()}{once.what[1:]} may or may not have been "
        f"created; it was not retried, to avoid {once.repeat}: {once.check} before retrying.",
        method=typed.method,
        url=typed.url,
        status_code=typed.status_code,
        request_id=typed.request_id,
        body=typed.body,
        prediction_id=call.prediction_id,
    )
