"""Downloading output files: to a path (atomically) or a binary stream, in constant memory.

Each hop is one ``API.open`` of an ``API.url_call`` (the Sender's retries, deadline, logging
and error mapping; redirects come back unfollowed) and is checked before it is followed
(https, or plain http only on loopback, never https to http). The API token goes only to the
API's own origin, and neither a signed URL's query nor ``user:password@`` ever appears in an
error. ``timeout`` bounds a whole download and
``stall_timeout`` the longest pause; the size is unbounded (it streams to disk).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import tempfile
import time
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, assert_never

import attrs
import httpx

from predictkit import _aio
from predictkit._body import ACCEPT_ENCODING, aiter_decoded, iter_decoded, timed_out
from predictkit._call import Retry
from predictkit._checks import is_http_url, positive_seconds
from predictkit._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidInputError,
    InvalidInputTypeError,
    PredictKitError,
    UnsafeDownloadError,
)
from predictkit.waiting import adrive, drive

if TYPE_CHECKING:
    from predictkit._api import API, Call


MAX_DOWNLOAD_REDIRECTS = 10


def _no_query(url: httpx.URL) -> httpx.URL:
    """The URL as errors show it: no query (a signed URL's query is a credential) and no
    ``user:password@``."""
    return url.copy_with(query=None, userinfo=b"")


_USERINFO = re.compile(r"//[^/?#]*@")


def _next_hop(api: API, response: httpx.Response) -> httpx.URL | None:
    """The redirect to follow, checked like the first URL, and never from https down to plain
    http; None when not a redirect."""
    hop = response.next_request if response.is_redirect else None
    if hop is None:
        return None
    _download_target(api, str(hop.url))
    if response.request.url.scheme == "https" and hop.url.scheme != "https":
        raise UnsafeDownloadError(
            f"Refusing a redirect from https to plain http ({_no_query(hop.url)}): the "
            "file would travel unencrypted; use https."
        )
    return hop.url


def _too_many_redirects(url: httpx.URL) -> APIConnectionError:
    where = _no_query(url)
    return APIConnectionError(
        f"Downloading {where} failed: more than {MAX_DOWNLOAD_REDIRECTS} redirects.",
        method="GET",
        url=str(where),
    )


def _download_target(api: API, url: object) -> httpx.URL:
    """Check an output URL (the token is the Sender's business: only to the API's origin)."""
    if not isinstance(url, str):
        kind = type(url).__name__
        advice = (
            " This output is structured: pass the URL inside it, e.g. output['image']."
            if isinstance(url, Mapping | list | tuple)
            else ""
        )
        raise InvalidInputTypeError(
            f"download_output needs the URL of an output file (a str), not a {kind}.{advice}"
        )
    if not is_http_url(url):
        shown = _USERINFO.sub("//", url.partition("?")[0])
        raise UnsafeDownloadError(
            f"Refusing to download {shown!r}: only http(s) URLs are supported."
        )
    parsed = httpx.URL(url)
    api_origin = api.is_api_url(parsed)
    if (
        parsed.scheme == "http"
        and not api_origin
        and parsed.host not in ("127.0.0.1", "localhost", "::1")
    ):
        raise UnsafeDownloadError(f"Refusing plain-http download from {parsed.host}: use https.")
    return parsed


@attrs.frozen
class _Download:
    """A checked download: where from, within which time, into what."""

    url: httpx.URL
    timeout: httpx.Timeout
    deadline: float | None
    destination: str | os.PathLike[str] | IO[bytes]

    def hop(self, api: API, url: httpx.URL) -> Call:
        """One hop's GET: through the Sender (deadline, logging, error mapping), the token
        only if ``url`` is on the API's origin, redirects handed back unfollowed. Not retried,
        as before the move: a stall ends at ``stall_timeout``, a failure is reported at once."""
        return api.url_call(
            "GET",
            url,
            headers={"Accept-Encoding": ACCEPT_ENCODING},
            timeout=self.timeout,
            token_on_api_origin=True,
            retry=Retry.NEVER,
            deadline=self.deadline,
        )

    @contextlib.contextmanager
    def naming(self, url: httpx.URL) -> Iterator[None]:
        """Errors from sending ``url`` or reading its body, as download errors: no signed
        query or ``user:password@``, and a transport failure names the target path."""
        try:
            yield
        except httpx.RequestError as exc:
            raise _download_error(exc, url, self.destination) from exc
        except APIStatusError as error:
            error.url = str(_no_query(url))
            raise
        except APIConnectionError as error:
            cause = error.__cause__
            if not isinstance(cause, httpx.RequestError):
                raise
            raise _download_error(cause, url, self.destination) from cause


def _plan_download(
    api: API,
    url: object,
    destination: str | os.PathLike[str] | IO[bytes],
    timeout: object,
    stall_timeout: object,
) -> _Download:
    for name, value in (("timeout", timeout), ("stall_timeout", stall_timeout)):
        if value is not None and not positive_seconds(value):
            raise InvalidInputError(
                f"{name} must be a positive, finite number of seconds or None, not {value!r}."
            )
    target = _download_target(api, url)
    base = api.timeout
    stall = base.read if stall_timeout is None else float(stall_timeout)  # type: ignore[arg-type]
    return _Download(
        url=target,
        timeout=httpx.Timeout(connect=base.connect, read=stall, write=base.write, pool=base.pool),
        deadline=None if timeout is None else time.monotonic() + float(timeout),  # type: ignore[arg-type]
        destination=destination,
    )


@attrs.frozen
class _Open:
    """Open one hop -> its response, unread."""

    call: Call


@attrs.frozen
class _Close:
    """Close a redirect's response -> None."""

    response: httpx.Response


_HopStep = _Open | _Close


def _following(
    api: API, plan: _Download
) -> Generator[_HopStep, Any, tuple[httpx.Response, httpx.URL]]:
    """The redirects from ``plan.url``, each hop checked before it is followed (at most
    MAX_DOWNLOAD_REDIRECTS) -> the last hop's response, unread, and its URL. A redirect's
    response is closed (the async one by ``aclose``), also when its hop is refused."""
    target = plan.url
    for _ in range(MAX_DOWNLOAD_REDIRECTS + 1):
        with plan.naming(target):
            response = yield _Open(plan.hop(api, target))
        try:
            hop = _next_hop(api, response)
        except PredictKitError:
            yield _Close(response)
            raise
        if hop is None:
            return response, target
        yield _Close(response)
        target = hop
    raise _too_many_redirects(plan.url)


def _hop(api: API, step: _HopStep) -> Any:
    match step:
        case _Open(call=call):
            return api.open(call)
        case _Close(response=response):
            response.close()
            return None
        case _:
            assert_never(step)


async def _ahop(api: API, step: _HopStep) -> Any:
    match step:
        case _Open(call=call):
            return await api.aopen(call)
        case _Close(response=response):
            await response.aclose()
            return None
        case _:
            assert_never(step)


def download(
    api: API,
    url: object,
    destination: str | os.PathLike[str] | IO[bytes],
    timeout: object = None,
    stall_timeout: object = None,
) -> int:
    """``client.predictions.download_output``: returns the byte count."""
    plan = _plan_download(api, url, destination, timeout, stall_timeout)
    response, target = drive(_following(api, plan), functools.partial(_hop, api))
    with plan.naming(target), contextlib.closing(response):
        chunks = iter_decoded(response, deadline=plan.deadline)
        with _sink(destination) as sink, contextlib.closing(chunks):
            return sum(sink.write(chunk) for chunk in chunks)


async def adownload(
    api: API,
    url: object,
    destination: str | os.PathLike[str] | IO[bytes],
    timeout: object = None,  # noqa: ASYNC109 - the download's own deadline, as in download()
    stall_timeout: object = None,
) -> int:
    plan = _plan_download(api, url, destination, timeout, stall_timeout)
    try:
        async with _aio.deadline(plan.deadline):
            return await _async_download(api, plan)
    except _aio.Expired:
        request = httpx.Request("GET", plan.url)
        raise _download_error(timed_out(request), plan.url, destination) from None


async def _async_download(api: API, plan: _Download) -> int:
    response, target = await adrive(_following(api, plan), functools.partial(_ahop, api))
    try:
        with plan.naming(target), _sink(plan.destination) as sink:
            chunks = aiter_decoded(response, deadline=plan.deadline)
            return sum([sink.write(chunk) async for chunk in chunks])
    finally:
        await response.aclose()


@contextlib.contextmanager
def _sink(destination: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    """A binary stream to write to; for a path, a temporary file renamed into place on success
    (no half-written file is ever left at the destination), with the mode of the file it
    replaces. File errors name the destination, not the temporary file."""
    if not isinstance(destination, str | os.PathLike):
        yield destination
        return
    path = Path(destination)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
            with contextlib.suppress(FileNotFoundError):
                os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
            Path(tmp).replace(path)
        except OSError as exc:
            raise _naming(exc, path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error about ``path`` (the user's target), not the temporary file."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, f"{exc.strerror} (saving the download to {path})", str(path))


def _download_error(
    exc: httpx.RequestError, url: httpx.URL, destination: object
) -> APIConnectionError:
    where = _no_query(url)
    into = f" to {destination}" if isinstance(destination, str | os.PathLike) else ""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"Downloading {where}{into} timed out ({type(exc).__name__}): pass a larger "
            "timeout= (the whole download) or stall_timeout= (the longest pause) to "
            "download_output.",
            method="GET",
            url=str(where),
        )
    return APIConnectionError(
        f"Downloading {where}{into} failed ({type(exc).__name__}: {exc}).",
        method="GET",
        url=str(where),
    )
