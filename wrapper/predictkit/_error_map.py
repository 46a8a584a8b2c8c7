"""Which error a response or a transport failure becomes, and how long the server asks us to
wait (``retry_after``): pure functions, shared by the Sender, uploads and downloads.

Every message says what happened and what to do; a success body that does not match the spec is
a ResponseParseError carrying the raw bytes (``parse_body``), never a KeyError from the
generated code.
"""

from __future__ import annotations

import email.utils
import json
import linecache
import math
import re
import time
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from predictkit._call import PREDICTION_CREATE, Call, Retry, Target
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
    json_or_none,
)

T = TypeVar("T")

MAX_RETRY_AFTER = 60.0
"""Longest server-requested delay a retry will sleep; beyond it the error is raised at once."""


def parse_body(response: httpx.Response, build: Callable[[Any], T]) -> T:
    """Parse a success body with a generated ``from_dict`` (or any builder).

    Invalid JSON, a missing key or a malformed value becomes ResponseParseError with the raw
    body, never a JSONDecodeError or KeyError from deep inside the generated code.
    """
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        raise unreadable(
            response, f"with a body that is not JSON ({_describe_body(response)})"
        ) from None
    return parse_data(response, data, build)


def parse_data(response: httpx.Response, data: Any, build: Callable[[Any], T]) -> T:
    """``build(data)`` for JSON read from ``response`` (a whole body, or one item of a page
    parsed when reached); what it cannot read becomes ResponseParseError with the raw body."""
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        where = _field_at_fault(exc, data)
        problem = f"with JSON this client cannot read ({where}{type(exc).__name__}: {exc})"
        raise unreadable(response, problem) from exc


_POPPED = re.compile(r"""\.pop\(\s*["']([^"']+)["']""")
"""How the generated ``from_dict`` reads a field: ``d.pop("name")``."""
_EXPECTED = (
    ("dict(src_dict)", "a JSON object"),
    ("fromisoformat", "an ISO 8601 date-time string"),
    ("check_", "one of the documented values"),
)
_JSON_TYPES: tuple[tuple[type | types.UnionType, str], ...] = (
    (type(None), "null"),
    (bool, "a boolean"),  # before int: a bool is an int
    (int | float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


def _field_at_fault(exc: BaseException, data: Any) -> str:
    """Which field a generated ``from_dict`` failed on, what it holds and what was expected,
    read from the failure's traceback (only once a parse has failed: no cost on success).
    "" when the traceback does not say (then the exception's own text is all there is)."""
    path: list[str] = []
    line = ""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if str(frame.f_globals.get("__name__", "")).startswith("predictkit_api."):
            line = linecache.getline(frame.f_code.co_filename, tb.tb_lineno)
            popped = _POPPED.search(line)
            if popped:
                path.append(popped.group(1))
        tb = tb.tb_next
    if not path:
        return ""
    value: Any = data
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return f"field {'.'.join(path)!r} is missing; "
        value = value[key]
    got = next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "a value")
    expected = next((what for marker, what in _EXPECTED if marker in line), None)
    wanted = f", expected {expected}" if expected else ""
    return f"field {'.'.join(path)!r} is {got}{wanted}; "


def unreadable(response: httpx.Response, problem: str) -> ResponseParseError:
    """ResponseParseError for ``response``: "METHOD path returned STATUS ``problem``"."""
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

AUTH_ADVICE = "Check the access token (Client(access_token=...) or WRIFTAI_ACCESS_TOKEN)."
"""A 401's advice to a program; the CLI shows its own (``--token``) in its place."""

_HINTS = {
    401: AUTH_ADVICE,
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
    if 300 <= status < 400:
        text += _not_followed(response, api=hints)
    hint = _HINTS.get(status) if hints else None
    return _STATUS_ERRORS.get(status, APIStatusError)(f"{text} {hint}" if hint else text, **common)


def _not_followed(response: httpx.Response, *, api: bool) -> str:
    """A 3xx reached the caller: say it was not followed, and where it pointed (without the
    query, the fragment or user info, which may carry a secret)."""
    location = response.headers.get("location", "")
    try:
        target = response.request.url.join(location) if location else None
    except (httpx.InvalidURL, ValueError, TypeError):
        target = None
    where = (
        f" to {target.copy_with(query=None, fragment=None, username=None, password=None)}"
        if target is not None
        else " without a usable Location"
    )
    why = " Check api_base_url (its scheme or host may be out of date)." if api else ""
    return f". It redirects{where}, which was not followed.{why}"


def tokenless(error: APIStatusError) -> MissingTokenError:
    """A 401 or 403 answered to a call sent without a token: the error says to set one."""
    path = httpx.URL(error.url).path if error.url else ""
    return MissingTokenError(
        f"No WriftAI access token was sent, and {error.method} {path} needs one (it answered "
        f"{error.status_code}). Pass Client(access_token=...) or set the WRIFTAI_ACCESS_TOKEN "
        "environment variable (create one on the Access Tokens page).",
        method=error.method,
        url=error.url,
        status_code=error.status_code,
        request_id=error.request_id,
        body=error.body,
        prediction_id=error.prediction_id,
    )


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
    if call.retry is Retry.CREATE and not not_sent(exc):
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
    check = "api_base_url" if call.target is Target.API else f"that {request.url.host} is reachable"
    return APIConnectionError(
        f"{where}: could not talk to the server ({type(exc).__name__}: {str(exc) or 'no detail'}). "
        f"Check the network and {check}.",
        **common,
    )


def not_sent(exc: httpx.RequestError) -> bool:
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
