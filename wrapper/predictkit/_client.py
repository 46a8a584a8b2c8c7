"""Client: configuration, environment variables, and the httpx clients it sends with (their
pool: predictkit._pool)."""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import attrs
import httpx
from predictkit_api.api import Resources

from predictkit._api import API
from predictkit._body import DEFAULT_MAX_RESPONSE_BYTES
from predictkit._checks import positive_seconds, sendable_header
from predictkit._errors import InvalidInputError, InvalidInputTypeError
from predictkit._http import RetryPolicy, Sender
from predictkit._pool import Pool
from predictkit._ratelimit import CreateRate
from predictkit._schedule import RunTimes
from predictkit._version import __version__

if TYPE_CHECKING:
    from predictkit.reconcile import CreatedLedger
    from predictkit.resources._binding import Binding
    from predictkit.resources._creating import Reconciling
    from predictkit.resources.predictions import Predictions
    from predictkit.resources.uploads import Uploads

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "Client",
]

DEFAULT_BASE_URL = "https://api.wrift.ai/v1"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""30 s to read, write or get a pooled connection, 10 s to connect: nothing waits forever.
The read value also bounds each attempt's whole response, however slowly it trickles in.
Calls that ask the server to hold the response (Prefer: wait, streams) extend the read timeout
by exactly what they ask for."""
DEFAULT_MAX_RETRIES = 2
DEFAULT_RECONCILE_WINDOW = 5.0
"""Seconds an ambiguous create looks for its prediction before concluding it never arrived
(predictkit.reconcile)."""
USER_AGENT = f"predictkit/{__version__} httpx/{httpx.__version__}"

_UNSET: Any = object()


def _timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        parts = (value.connect, value.read, value.write, value.pool)
        if not all(positive_seconds(p) for p in parts):
            raise InvalidInputError(
                "Every part of the timeout must be a positive, finite number of seconds: a "
                f"request must never hang forever (got {value!r})."
            )
        return value
    if not positive_seconds(value):
        raise InvalidInputError(
            "timeout must be a positive, finite number of seconds or an httpx.Timeout, "
            f"not {value!r}."
        )
    return httpx.Timeout(float(value))


def _reconcile_window(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 3600:
        raise InvalidInputError(
            f"reconcile_window must be seconds from 0 (never reconcile) to 3600, not {value!r}."
        )
    return float(value)


def _max_response_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1024:
        raise InvalidInputError(
            f"max_response_bytes must be a whole number of bytes >= 1024, not {value!r}."
        )
    return value


def _base_url(value: str) -> str:
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL:
        url = httpx.URL("invalid:")
    if url.scheme not in ("http", "https") or not url.host or url.query or url.fragment:
        raise InvalidInputError(
            f"api_base_url must be an http(s) URL such as {DEFAULT_BASE_URL!r}, not {value!r}."
        )
    if url.scheme == "http" and url.host not in _LOOPBACK:
        warnings.warn(
            f"api_base_url {str(url.copy_with(query=None))!r} is plain http: the access token "
            "and every prediction would cross the network unencrypted. Use https (plain http "
            "is for a local server, e.g. predictkit.testing on 127.0.0.1).",
            InsecureBaseURLWarning,
            stacklevel=3,
        )
    return value.rstrip("/")


_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class InsecureBaseURLWarning(UserWarning):
    """The client was pointed at a plain-http API off this machine."""


def _token_problem(token: str) -> str | None:
    """What makes a token unusable in an Authorization header, without quoting it."""
    for position, char in enumerate(token, 1):
        if char in "\r\n":
            what = "a line break"
        elif char.isspace():
            what = "whitespace"
        elif not char.isascii():
            what = "a non-ASCII character"
        elif not char.isprintable():
            what = "a control character"
        else:
            continue
        return f"{what} at character {position} of {len(token)}"
    return None


def _access_token(value: object, source: str) -> str | None:
    """The token, checked now rather than by the first request: a token read from a file with
    its trailing newline would otherwise fail inside httpx, which quotes the header value (the
    token) in its error and debug log. The error never shows the token."""
    if value is None or value == "":
        return None  # calls go without Authorization; a refused one is MissingTokenError
    if not isinstance(value, str):
        raise InvalidInputTypeError(
            f"The access token ({source}) must be a string, not {type(value).__name__}."
        )
    problem = _token_problem(value)
    if problem:
        raise InvalidInputError(
            f"The access token ({source}) contains {problem}; a token is printable ASCII "
            "without spaces. Read from a file? Strip it: open(path).read().strip(). "
            "(The token is not shown.)"
        )
    return value


def _headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Extra headers, checked so that none can fail (or leak) inside httpx at send time."""
    checked: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidInputTypeError("headers must map header names (str) to values (str).")
        if not sendable_header(name, value):
            raise InvalidInputError(
                f"Header {name!r} has a name or value httpx cannot send (line breaks, control "
                "or non-ASCII characters). (The value is not shown.)"
            )
        checked[name] = value
    return checked


class _Shared:
    """What a Client and its with_options() copies share besides the connections: the pace of
    creates, the models' recent run times, and the ids their creates returned."""

    def __init__(self) -> None:
        self.create_rate = CreateRate()  # paces create_many
        self.run_times = RunTimes()  # for waits without a stream

    @functools.cached_property
    def created(self) -> CreatedLedger:
        """Made on the first create: ``import predictkit`` does not load reconciliation."""
        from predictkit.reconcile import CreatedLedger  # noqa: PLC0415

        return CreatedLedger()


class Client(Resources):
    """A WriftAI API client; one per application is enough (it pools connections).

    ``access_token`` and ``api_base_url`` default to the ``WRIFTAI_ACCESS_TOKEN`` and
    ``WRIFTAI_API_BASE_URL`` environment variables. Without a token, calls are sent without
    Authorization (public endpoints answer); one the API refuses raises MissingTokenError.
    Pass ``http_client``/``async_http_client`` or ``transport``/``async_transport`` to
    control the HTTP layer (proxies, mocks, test servers).
    ``max_response_bytes`` caps any response body (or stream event) held in memory.
    Use it as a context manager, or call ``close()`` / ``await aclose()``.
    """

    def __init__(
        self,
        access_token: str | None = None,
        api_base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        reconcile_window: float = DEFAULT_RECONCILE_WINDOW,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidInputError(
                f"max_retries must be a whole number >= 0, not {max_retries!r}."
            )
        token = (
            _access_token(access_token, "access_token=")
            if access_token is not None
            else _access_token(os.environ.get("WRIFTAI_ACCESS_TOKEN"), "WRIFTAI_ACCESS_TOKEN")
        )
        base = api_base_url or os.environ.get("WRIFTAI_API_BASE_URL") or DEFAULT_BASE_URL
        self._sender = Sender(
            base_url=_base_url(base),
            token=token,
            headers={"User-Agent": USER_AGENT, **_headers(headers)},
            timeout=_timeout(timeout),
            policy=RetryPolicy(max_retries=max_retries),
            max_response_bytes=_max_response_bytes(max_response_bytes),
        )
        self._pool = Pool(http_client, async_http_client, transport, async_transport)
        self._shared = _Shared()
        self._reconcile_window = _reconcile_window(reconcile_window)
        self._bind(API(self._sender, self._pool, self._shared.create_rate.observe))

    def _bind(self, api: API) -> None:
        """Give the resources ``api``: all they use of this client's HTTP state."""
        self._api = api
        self._create_rate = self._shared.create_rate
        self._run_times = self._shared.run_times

    # Every resource is made, and its module imported, on first use: ``import predictkit``
    # stays light, and a first get() loads none of uploads, batches or the generated tags.

    @functools.cached_property
    def predictions(self) -> Predictions:
        """Predictions (``client.predictions``): create, get, list, wait, cancel, stream..."""
        from predictkit.resources.predictions import Predictions  # noqa: PLC0415

        return Predictions(self, self._api, self._reconciling, self._run_times)

    @functools.cached_property
    def uploads(self) -> Uploads:
        """Uploads (``client.uploads``): files, and the two API calls of the upload flow."""
        from predictkit.resources.uploads import Uploads  # noqa: PLC0415

        return Uploads(self._api)

    @functools.cached_property
    def _transport(self) -> Binding:  # type: ignore[override]  # the generated tags' Transport
        from predictkit.resources._binding import Binding  # noqa: PLC0415

        return Binding(self._api)

    @functools.cached_property
    def _reconciling(self) -> Reconciling:
        from predictkit.resources._creating import Reconciling  # noqa: PLC0415

        return Reconciling(self._shared.created, self._reconcile_window)

    @property
    def api_base_url(self) -> str:
        return self._sender.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._sender.timeout

    @property
    def max_retries(self) -> int:
        return self._sender.policy.max_retries

    @property
    def reconcile_window(self) -> float:
        """Seconds a create whose outcome is unknown looks for its prediction (0: never)."""
        return self._reconcile_window

    @property
    def max_response_bytes(self) -> int:
        """Largest response body (or stream event) held in memory, in bytes."""
        return self._sender.max_response_bytes

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout = _UNSET,
        max_retries: int = _UNSET,
        headers: Mapping[str, str] = _UNSET,
        reconcile_window: float = _UNSET,
        max_response_bytes: int = _UNSET,
    ) -> Client:
        """A copy with other options that shares this client's connections (and its lifetime)."""
        copy = object.__new__(Client)
        sender = self._sender
        if timeout is not _UNSET:
            sender = attrs.evolve(sender, timeout=_timeout(timeout))
        if max_retries is not _UNSET:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise InvalidInputError(
                    f"max_retries must be a whole number >= 0, not {max_retries!r}."
                )
            sender = attrs.evolve(
                sender, policy=attrs.evolve(sender.policy, max_retries=max_retries)
            )
        if headers is not _UNSET:
            sender = attrs.evolve(sender, headers={**sender.headers, **_headers(headers)})
        if max_response_bytes is not _UNSET:
            sender = attrs.evolve(
                sender, max_response_bytes=_max_response_bytes(max_response_bytes)
            )
        copy._sender = sender
        copy._pool = self._pool
        copy._shared = self._shared
        copy._reconcile_window = (
            self._reconcile_window
            if reconcile_window is _UNSET
            else _reconcile_window(reconcile_window)
        )
        copy._bind(API(sender, self._pool, self._shared.create_rate.observe))
        return copy

    def close(self) -> None:
        """Close the connections this client opened (not an http_client you passed in)."""
        self._pool.close()

    async def aclose(self) -> None:
        """Close the connections, including this event loop's async ones."""
        await self._pool.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        token = "set" if self._sender.token else "missing"
        return f"Client(api_base_url={self.api_base_url!r}, access_token=<{token}>)"
