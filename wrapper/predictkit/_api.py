"""The one interface every resource sends through, sync and async.

``API`` wraps the client's Sender (auth, timeouts, retries, deadlines, logging, error mapping:
predictkit._http) and its connection pool. Resources hold an ``API`` and nothing else of the
client: never its pool, its Sender or its token. Four verbs, each with an ``a``-prefixed twin:

- ``send(call, parse)``: send, read the body, close, parse it (``parse`` gets the response;
  see ``json_body``/``no_body``). Errors are the typed PredictKitErrors of _error_map.
- ``open(call)``: send and return the response unread, for streaming (SSE, downloads). The
  caller closes it: ``with contextlib.closing(api.open(call)) as response:``).
- ``call(kwargs, ...)``: build a Call from the generated layer's request kwargs plus per-call
  options (``timeout=``, ``extra_headers=``) and the write-once rule.
- ``url_call(method, url, ...)``: a Call to an absolute URL outside the API (download, upload
  part): it never carries the token, except for ``token_on_api_origin`` calls whose URL turns
  out to be on the API's own origin.

Download hops (resources._downloads) are ``open`` calls of ``url_call``s: each redirect comes
back to the caller, which checks it before following it. Upload parts (predictkit._parts) are
``send`` calls of ``url_call``s with a ``body`` made afresh for each attempt, an ``on_retry``
hook (progress takes the part's bytes back) and a ``response_cap``. A 404 from the API under a
base URL without ``/v1`` says so.

A write that may not be repeated (prediction, model, version and variable create, upload start)
is a Call with ``write_once=WriteOnce(...)``: it is retried only when the request provably never
reached the server, and an unknown outcome raises CreateOutcomeUnknownError with the
operation's own advice.

``with_raw_response`` support: while ``recording()`` is active (in this thread or task), every
response ``send`` parses or ``open`` returns is remembered, so a caller gets the headers
(x-request-id, x-ratelimit-remaining) of the call it made along with the typed result
(``RawResponse``).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

import attrs
import httpx

from predictkit._call import Body, Call, Retry, Target, WriteOnce
from predictkit._checks import positive_seconds, sendable_header
from predictkit._error_map import parse_body
from predictkit._errors import InvalidInputError, InvalidInputTypeError, NotFoundError
from predictkit._http import Sender

__all__ = [
    "API",
    "Call",
    "RawResponse",
    "Retry",
    "Target",
    "Timeout",
    "WriteOnce",
    "json_body",
    "no_body",
    "per_call_timeout",
    "recording",
]

T = TypeVar("T")

Timeout = float | httpx.Timeout
"""A per-call timeout: seconds for every phase, or an httpx.Timeout."""


class _Pool(Protocol):
    """What the API needs of the client's connection pool (predictkit._pool.Pool)."""

    def sync(self) -> httpx.Client: ...

    async def for_running_loop(self) -> httpx.AsyncClient: ...


def per_call_timeout(value: Timeout | None) -> httpx.Timeout | None:
    """Check a per-call ``timeout=``: None (the client's), positive finite seconds, or an
    httpx.Timeout whose every part is positive and finite. Raises InvalidInputError (a
    ValueError) before sending."""
    if value is None:
        return None
    if isinstance(value, httpx.Timeout):
        parts = (value.connect, value.read, value.write, value.pool)
        if all(positive_seconds(p) for p in parts):
            return value
    elif positive_seconds(value):
        return httpx.Timeout(float(value))
    raise InvalidInputError(
        "timeout must be a positive, finite number of seconds or an httpx.Timeout whose every "
        f"part is one (a request must never hang forever), not {value!r}."
    )


def _headers(extra: Mapping[str, str] | None) -> dict[str, str]:
    if extra is None:
        return {}
    if not isinstance(extra, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in extra.items()
    ):
        raise InvalidInputTypeError(
            f"extra_headers must map header names to strings, not {extra!r}."
        )
    if any(k.lower() == "authorization" for k in extra):
        raise InvalidInputError(
            "extra_headers may not set Authorization: the client sends the token itself."
        )
    for name, value in extra.items():
        if not sendable_header(name, value):
            raise InvalidInputError(
                f"extra_headers[{name!r}] has a name or value httpx cannot send (line breaks, "
                "control or non-ASCII characters). (The value is not shown.)"
            )
    return dict(extra)


def json_body(build: Callable[[Any], T]) -> Callable[[httpx.Response], T]:
    """A ``parse`` for ``send``: the JSON body through ``build`` (a generated ``from_dict``);
    unreadable bodies raise ResponseParseError with the raw body."""
    return lambda response: parse_body(response, build)


def no_body(response: httpx.Response) -> None:
    """A ``parse`` for ``send`` on operations that answer 204 No Content."""


@attrs.frozen
class RawResponse(Generic[T]):
    """A typed result with the HTTP response it came from (``with_raw_response``)."""

    http_response: httpx.Response = attrs.field(repr=False)
    parsed: T

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def request_id(self) -> str | None:
        """The server's x-request-id: quote it when reporting a problem."""
        value: str | None = self.http_response.headers.get("x-request-id")
        return value

    def parse(self) -> T:
        """The typed result (openai-python's spelling)."""
        return self.parsed

    def __repr__(self) -> str:
        return f"<RawResponse {self.status_code} request_id={self.request_id!r}: {self.parsed!r}>"


class _Recorder:
    def __init__(self) -> None:
        self.response: httpx.Response | None = None

    def last(self) -> httpx.Response:
        """The last response recorded; every method under a raw view sends at least once."""
        assert self.response is not None, (
            "predictkit bug: a raw view ran a method that sent nothing"
        )
        return self.response


_recording: contextvars.ContextVar[_Recorder | None] = contextvars.ContextVar(
    "predictkit_raw_response", default=None
)


@contextlib.contextmanager
def recording() -> Iterator[_Recorder]:
    """Remember the last response ``send`` parses or ``open`` returns inside the block (this
    thread or task)."""
    recorder = _Recorder()
    token = _recording.set(recorder)
    try:
        yield recorder
    finally:
        _recording.reset(token)


def _record(response: httpx.Response) -> None:
    recorder = _recording.get()
    if recorder is not None:
        recorder.response = response


class API:
    """What a resource sends through; built by the Client from its Sender and pool."""

    def __init__(
        self,
        sender: Sender,
        pool: _Pool,
        observe: Callable[[httpx.Headers], None] | None = None,
    ) -> None:
        self._sender = sender
        self._pool = pool
        self._observe = observe  # sees every response's headers (x-ratelimit-* pace creates)

    def _seen(self, response: httpx.Response) -> None:
        _record(response)
        if self._observe is not None:
            self._observe(response.headers)

    def __repr__(self) -> str:
        return f"API({self._sender.base_url!r})"

    # building ------------------------------------------------------------------------------

    @staticmethod
    def call(
        kwargs: dict[str, Any],
        *,
        timeout: Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        write_once: WriteOnce | None = None,
        prediction_id: str | None = None,
        deadline: float | None = None,
    ) -> Call:
        """A Call to the API from the generated layer's request kwargs (``build_request``)."""
        request = dict(kwargs)
        extra = _headers(extra_headers)
        if extra:
            request["headers"] = {**request.get("headers", {}), **extra}
        return Call(
            request,
            retry=Retry.IDEMPOTENT if write_once is None else Retry.CREATE,
            timeout=per_call_timeout(timeout),
            prediction_id=prediction_id,
            deadline=deadline,
            write_once=write_once,
        )

    @staticmethod
    def url_call(
        method: str,
        url: str | httpx.URL,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        timeout: Timeout | None = None,
        token_on_api_origin: bool = False,
        retry: Retry = Retry.IDEMPOTENT,
        deadline: float | None = None,
        body: Body | None = None,
        on_retry: Callable[[], None] | None = None,
        response_cap: int | None = None,
    ) -> Call:
        """A Call to an absolute URL outside the API: an upload part's pre-signed URL (never
        the token) or an output file (``token_on_api_origin``: the token only if the URL is on
        the API's own origin). Redirects are not followed; the caller checks each hop.

        An upload part streams ``body()`` afresh on each attempt, has ``on_retry()`` called
        before each retry, and keeps at most ``response_cap`` bytes of its answer."""
        kwargs: dict[str, Any] = {"method": method, "url": str(url), "headers": _headers(headers)}
        if content is not None:
            kwargs["content"] = content
        return Call(
            kwargs,
            retry=retry,
            timeout=per_call_timeout(timeout),
            deadline=deadline,
            target=Target.URL_TOKEN_ON_API_ORIGIN if token_on_api_origin else Target.URL,
            body=body,
            on_retry=on_retry,
            response_cap=response_cap,
        )

    def is_api_url(self, url: str | httpx.URL) -> bool:
        """Whether ``url`` is on the API's own origin (the only place the token may go)."""
        target, api = httpx.URL(url), httpx.URL(self._sender.base_url)
        return (target.scheme, target.host, target.port) == (api.scheme, api.host, api.port)

    @property
    def timeout(self) -> httpx.Timeout:
        """The client's default timeout."""
        return self._sender.timeout

    @property
    def max_response_bytes(self) -> int:
        """Largest response body (or stream event) held in memory."""
        return self._sender.max_response_bytes

    # sending -------------------------------------------------------------------------------

    def send(self, call: Call, parse: Callable[[httpx.Response], T]) -> T:
        """Send with the shared rules, read and close the body, return ``parse(response)``."""
        return parse(self._sent(call, stream=False))

    async def asend(self, call: Call, parse: Callable[[httpx.Response], T]) -> T:
        return parse(await self._asent(call, stream=False))

    def open(self, call: Call) -> httpx.Response:
        """Send with the shared rules; the 2xx response comes back unread (the caller reads it
        as a stream and closes it). A failure status is raised as its typed error."""
        return self._sent(call, stream=True)

    async def aopen(self, call: Call) -> httpx.Response:
        return await self._asent(call, stream=True)

    def _sent(self, call: Call, *, stream: bool) -> httpx.Response:
        try:
            response = self._sender.send(self._pool.sync(), call, stream=stream)
        except NotFoundError as error:
            self._explain(error, call)
            raise
        self._seen(response)
        return response

    async def _asent(self, call: Call, *, stream: bool) -> httpx.Response:
        http = await self._pool.for_running_loop()
        try:
            response = await self._sender.asend(http, call, stream=stream)
        except NotFoundError as error:
            self._explain(error, call)
            raise
        self._seen(response)
        return response

    def _explain(self, error: NotFoundError, call: Call) -> None:
        """Every API path lives under /v1: a base URL without it 404s on every call."""
        base = self._sender.base_url
        if call.target is Target.API and not httpx.URL(base).path.rstrip("/").endswith("/v1"):
            error.message += (
                f" The api_base_url {base!r} does not end in /v1, where every API path "
                f"lives: did you mean {base.rstrip('/') + '/v1'!r}?"
            )
