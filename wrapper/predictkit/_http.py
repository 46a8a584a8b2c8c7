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

import email.utils
import enum
import json
import logging
import math
import random
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

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
from predictkit._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CreateOutcomeUnknownError,
    MissingTokenError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    ValidationError,
    ValidationErrorDetail,
)

log = logging.getLogger("predictkit")

T = TypeVar("T")
E = TypeVar("E", bound=APIError)

MAX_RETRY_AFTER = 60.0
"""Longest server-requested delay a retry will sleep; beyond it the error is raised at once."""


class Retry(enum.Enum):
    """How a call may be repeated. CREATE: a write that may not be repeated (see WriteOnce)."""

    IDEMPOTENT = "idempotent"
    CREATE = "create"
    NEVER = "never"


@attrs.frozen
class WriteOnce:
    """What to tell the user when a write that may not be repeated has an unknown outcome.

    Supplied by the operation (prediction create, model create, upload start...), so the HTTP
    layer stays generic: ``what`` may have been created; repeating risks ``repeat``; ``check``
    says how to find out before retrying."""

    what: str
    repeat: str
    check: str


PREDICTION_CREATE = WriteOnce(
    "a prediction", "running it twice", "check client.predictions.list() (newest first)"
)
"""The advice of ``POST /predictions``; also what a Retry.CREATE call without its own gets."""


class Target(enum.Enum):
    """Where a call goes, and whether the API token goes with it."""

    API = "api"
    """A path under the API's base URL, with the token."""
    URL = "url"
    """An absolute URL outside the API (a pre-signed upload part): never the token."""
    URL_TOKEN_ON_API_ORIGIN = "url-token-on-api-origin"  # noqa: S105 - a name, not a secret
    """An absolute URL (an output file): the token only if it is on the API's own origin."""


@attrs.frozen
class Call:
    """One API call, built but not sent: the generated layer's request kwargs plus our policy."""

    kwargs: dict[str, Any]
    retry: Retry = Retry.IDEMPOTENT
    timeout: httpx.Timeout | None = None
    prediction_id: str | None = None
    deadline: float | None = None
    """A time.monotonic() instant no attempt or retry may run past (a wait's deadline)."""
    write_once: WriteOnce | None = None
    """The advice for an unknown outcome of a Retry.CREATE call (None: a prediction's)."""
    target: Target = Target.API

    def attempt_timeout(self, default: httpx.Timeout) -> httpx.Timeout:
        """The timeout for the next attempt: the call's own, cut to what the deadline leaves.

        Never cut for a create: a create cut short may have run, which would turn a prediction
        into an unknown outcome. Its deadline only stops retry sleeps."""
        timeout = self.timeout or default
        if self.deadline is None or self.retry is Retry.CREATE:
            return timeout
        left = max(0.001, self.deadline - time.monotonic())

        def cut(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cut(timeout.connect),
            read=cut(timeout.read),
            write=cut(timeout.write),
            pool=cut(timeout.pool),
        )

    def response_deadline(self, timeout: httpx.Timeout) -> float | None:
        """When this attempt's whole response must have arrived (time.monotonic()): the read
        timeout from now, or the call's deadline if sooner (never for a create, see above)."""
        ends = None if timeout.read is None else time.monotonic() + timeout.read
        if self.deadline is None or self.retry is Retry.CREATE:
            return ends
        return self.deadline if ends is None else min(ends, self.deadline)

    def leaves_time_for(self, delay: float) -> bool:
        return self.deadline is None or time.monotonic() + delay < self.deadline


def json_or_none(body: bytes | None) -> Any:
    """The body parsed as JSON, or None when it is empty or not JSON."""
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def parse_body(response: httpx.Response, build: Callable[[Any], T]) -> T:
    """Parse a success body with a generated ``from_dict`` (or any builder).

    Invalid JSON, a missing key or a malformed value becomes ResponseParseError with the raw
    body, never a JSONDecodeError or KeyError from deep inside the generated code.
    """
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        raise _unreadable(
            response, f"with a body that is not JSON ({_describe_body(response)})"
        ) from None
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        problem = f"with JSON this client cannot read ({type(exc).__name__}: {exc})"
        raise _unreadable(response, problem) from exc


def _unreadable(response: httpx.Response, problem: str) -> ResponseParseError:
    request = response.request
    return ResponseParseError(
        f"{request.method} {request.url.path} returned {response.status_code} {problem}; "
        "the raw body is on .body",
        method=request.method,
        url=str(request.url),
        status_code=response.status_code,
        request_id=response.headers.get("x-request-id"),
        body=response.content,
    )


def _describe_body(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "no content type").split(";")[0]
    return f"{kind}, {len(response.content)} bytes"


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
}

_HINTS = {
    401: "Check the access token (Client(access_token=...) or WRIFTAI_ACCESS_TOKEN).",
    403: "The token's user is not allowed to do this.",
    413: "Send a smaller request: upload large inputs as files.",
}


def retry_after(
    headers: Mapping[str, str], now: float | None = None, *, rate_limited: bool = True
) -> float | None:
    """Seconds the server asks us to wait: Retry-After (seconds or HTTP date), else, for a 429
    (``rate_limited``), x-ratelimit-reset (a Unix time for the API). None when neither says.
    The reset header rides on every response, so it means "wait" only on a 429."""
    current = time.time() if now is None else now
    value = headers.get("retry-after")
    if value:
        try:
            return _finite(float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
                return _finite(when.timestamp() - current)
            except (TypeError, ValueError, OverflowError, OSError):
                pass
    reset = headers.get("x-ratelimit-reset") if rate_limited else None
    if reset:
        try:
            stamp = float(reset)
        except ValueError:
            return None
        # The API sends a Unix time; a small number can only be "seconds from now".
        return _finite(stamp - current if stamp > 1e9 else stamp)
    return None


def _finite(seconds: float) -> float | None:
    """A delay: never negative, None for NaN. Huge values (infinity too) stay, so that the
    cap (MAX_RETRY_AFTER) refuses them rather than anything sleeping that long."""
    return None if math.isnan(seconds) else max(0.0, seconds)


def error_from_response(
    response: httpx.Response, *, prediction_id: str | None = None, hints: bool = True
) -> APIStatusError:
    """The typed error for a 4xx/5xx response; the message says what happened and what to do."""
    status = response.status_code
    request = response.request
    data = json_or_none(response.content)
    detail = data.get("detail") if isinstance(data, dict) else None
    common: dict[str, Any] = {
        "method": request.method,
        "url": str(request.url),
        "status_code": status,
        "request_id": response.headers.get("x-request-id"),
        "body": response.content,
        "prediction_id": prediction_id,
    }
    reason = response.reason_phrase or "Error"
    head = f"{request.method} {request.url.path} failed: {status} {reason}"

    if status == 422:
        details = _validation_details(detail)
        where = "; ".join(
            f"{'.'.join(str(p) for p in d.loc) or '(body)'}: {d.msg}" for d in details
        )
        return ValidationError(f"{head}: {where or 'invalid request'}", details=details, **common)
    if isinstance(detail, str) and detail:
        text = f"{head}: {detail}"
    elif data is None and response.content:
        text = f"{head} (non-JSON body: {_describe_body(response)})"
    else:
        text = head
    if status == 429:
        wait = retry_after(response.headers)
        if wait is None:
            advice = " Slow down and retry."
        elif wait > MAX_RETRY_AFTER:
            advice = f" Retry after {wait:.3g}s (longer than this client waits on its own)."
        else:
            advice = f" Retry after {wait:.1f}s."
        return RateLimitError(text + advice, retry_after=wait, **common)
    if status >= 500:
        advice = " The service failed; this is retried where safe." if hints else ""
        return ServerError(text + advice, **common)
    hint = _HINTS.get(status) if hints else None
    return _STATUS_ERRORS.get(status, APIStatusError)(f"{text} {hint}" if hint else text, **common)


def _validation_details(detail: Any) -> list[ValidationErrorDetail]:
    if not isinstance(detail, list):
        return []
    details = []
    for item in detail:
        if isinstance(item, dict):
            loc = item.get("loc")
            details.append(
                ValidationErrorDetail(
                    loc=tuple(p for p in loc if isinstance(p, str | int))
                    if isinstance(loc, list)
                    else (),
                    msg=str(item.get("msg", "")),
                    type=str(item.get("type", "")),
                )
            )
    return details


def error_from_exception(exc: httpx.RequestError, request: httpx.Request, call: Call) -> APIError:
    """The typed error for a transport failure."""
    common: dict[str, Any] = {
        "method": request.method,
        "url": str(request.url),
        "prediction_id": call.prediction_id,
    }
    where = f"{request.method} {request.url.path}"
    if call.retry is Retry.CREATE and not _not_sent(exc):
        once = call.write_once or PREDICTION_CREATE
        return CreateOutcomeUnknownError(
            f"{where}: the connection failed after the request was sent ({type(exc).__name__}), "
            f"so {once.what} may or may not have been created. It was not retried, to avoid "
            f"{once.repeat}: {once.check} before retrying.",
            **common,
        )
    if isinstance(exc, httpx.DecodingError):
        return ResponseParseError(
            f"{where}: the response body could not be decoded ({exc}).", **common
        )
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{where} timed out ({type(exc).__name__}). Raise Client(timeout=...) if the server "
            "is slow, or check the network.",
            **common,
        )
    if isinstance(exc, httpx.LocalProtocolError):
        # Its text quotes the offending header value, which may be a credential: never shown.
        return APIConnectionError(
            f"{where} was not sent: httpx refused to build it (LocalProtocolError; an invalid "
            "header value?). Check the headers passed to Client(headers=...).",
            **common,
        )
    return APIConnectionError(
        f"{where}: could not talk to the server ({type(exc).__name__}: {str(exc) or 'no detail'}). "
        "Check the network and api_base_url.",
        **common,
    )


def _not_sent(exc: httpx.RequestError) -> bool:
    """True when the request cannot have reached the server: no connection was made, or the
    request was refused locally before a byte of it was written (an invalid header value, an
    unsupported URL scheme), so a create that failed this way is never an unknown outcome."""
    return isinstance(
        exc,
        httpx.ConnectError
        | httpx.ConnectTimeout
        | httpx.PoolTimeout
        | httpx.LocalProtocolError
        | httpx.UnsupportedProtocol,
    )


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
        if retry is Retry.CREATE and not _not_sent(exc):
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

    def build(self, http: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
        if call.target is not Target.API:
            return self._build_url(http, call)
        if not self.token:
            raise MissingTokenError()
        kwargs = dict(call.kwargs)
        headers = {"Accept-Encoding": ACCEPT_ENCODING, **self.headers, **kwargs.pop("headers", {})}
        headers["Authorization"] = f"Bearer {self.token}"
        return http.build_request(
            url=self.base_url + kwargs.pop("url"), headers=headers, timeout=self.timeout, **kwargs
        )

    def _build_url(self, http: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
        """A request to an absolute URL: only the User-Agent of our headers, and the token only
        to the API's own origin when the call allows it."""
        kwargs = dict(call.kwargs)
        url = httpx.URL(kwargs.pop("url"))
        headers = {"User-Agent": self.headers.get("User-Agent", ""), **kwargs.pop("headers", {})}
        api = httpx.URL(self.base_url)
        on_api = (url.scheme, url.host, url.port) == (api.scheme, api.host, api.port)
        if call.target is Target.URL_TOKEN_ON_API_ORIGIN and on_api and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return http.build_request(url=url, headers=headers, timeout=self.timeout, **kwargs)

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
        return delay

    def send(self, http: httpx.Client, call: Call, *, stream: bool = False) -> httpx.Response:
        """Send with retries; return a 2xx response (unread when ``stream``) or raise."""
        request = self.build(http, call)
        attempt = 0
        while True:
            started = time.perf_counter()
            timeout = call.attempt_timeout(self.timeout)
            request.extensions["timeout"] = timeout.as_dict()
            ends = call.response_deadline(timeout)
            outcome: httpx.Response | httpx.RequestError
            try:
                outcome = http.send(request, stream=True, follow_redirects=_follow(http, call))
                if outcome.is_success or _redirect_outside_api(outcome, call):
                    if not stream:
                        read_body(outcome, deadline=ends, limit=self.max_response_bytes)
                    _log_success(request, outcome, started)
                    return outcome
                read_body(outcome, deadline=ends, limit=MAX_ERROR_BODY, truncate=True)
            except httpx.RequestError as exc:
                outcome = exc
            time.sleep(self._decide(call, request, outcome, attempt, started))
            attempt += 1

    async def asend(
        self, http: httpx.AsyncClient, call: Call, *, stream: bool = False
    ) -> httpx.Response:
        """Async twin of `send`; the whole attempt runs under its response deadline."""
        request = self.build(http, call)
        attempt = 0
        while True:
            started = time.perf_counter()
            timeout = call.attempt_timeout(self.timeout)
            request.extensions["timeout"] = timeout.as_dict()
            ends = call.response_deadline(timeout)
            outcome: httpx.Response | httpx.RequestError
            try:
                async with _aio.deadline(ends):
                    outcome = await http.send(
                        request, stream=True, follow_redirects=_follow(http, call)
                    )
                    returned = outcome.is_success or _redirect_outside_api(outcome, call)
                    if returned and stream:
                        _log_success(request, outcome, started)
                        return outcome
                    limit = self.max_response_bytes if returned else MAX_ERROR_BODY
                    await aread_body(outcome, deadline=ends, limit=limit, truncate=not returned)
                if returned:
                    _log_success(request, outcome, started)
                    return outcome
            except httpx.RequestError as exc:
                outcome = exc
            except _aio.Expired:
                outcome = timed_out(request)
            await _aio.sleep(self._decide(call, request, outcome, attempt, started))
            attempt += 1


def _counted(error: APIError, attempt: int) -> APIError:
    """Record on a final error how many times the request was sent (``attempt`` is 0-based)."""
    error.attempts = attempt + 1
    return error


def _follow(http: httpx.Client | httpx.AsyncClient, call: Call) -> bool:
    """Never follow a URL call's redirects, even on an http_client that would: each hop is
    checked by the caller."""
    return http.follow_redirects and call.target is Target.API


def _redirect_outside_api(response: httpx.Response, call: Call) -> bool:
    """A call to a URL outside the API gets its redirects back: the caller checks each hop."""
    return call.target is not Target.API and response.is_redirect


def _outside_api(error: E, call: Call) -> E:
    """For a URL outside the API, the error's URL loses its query (a signed URL's query is a
    credential)."""
    if call.target is not Target.API and error.url:
        error.url = str(httpx.URL(error.url).copy_with(query=None))
    return error


def _log_success(request: httpx.Request, response: httpx.Response, started: float) -> None:
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
