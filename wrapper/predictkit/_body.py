"""Reading response bodies within bounds of time and memory, for sync and async alike.

httpx's timeouts apply to each socket read, so a server dripping a byte at a time can stretch
one response without end, and ``response.read()`` holds whatever the server sends, decompressed
without limit. Here every body is read chunk by chunk against a deadline (and, for sync reads,
a watchdog that shuts the socket when the deadline passes, so one stalled read cannot outlast
it), decoded with a bound on how much one chunk may expand, and capped in decoded size.

Limits, and why their defaults never bite a normal user:

- ``max_response_bytes`` (64 MiB): any body held in memory (JSON) and any one event of a
  stream. API bodies are kilobytes (outputs are URLs to files), so this is thousands of times
  a real one, while still keeping a hostile answer to a few hundred MiB once parsed.
- MAX_ERROR_BODY (1 MiB): what an error keeps on ``.body``; the rest is not read.
- Decompression: gzip and deflate are decoded here, at most DECODE_STEP bytes per step, so a
  compressed "bomb" costs no more than its capped output. Other encodings are refused (the
  client only advertises these two).

This bounds bodies. Before a response exists (connect, request, headers) a sync attempt is
bounded by predictkit._deadline_backend, an async one throughout by asyncio.timeout.
"""

from __future__ import annotations

import itertools
import re
import time
import zlib
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Any

import httpx

from predictkit._errors import ResponseTooLargeError
from predictkit._watchdog import Watched

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MAX_ERROR_BODY = 1024 * 1024
DECODE_STEP = 256 * 1024
ACCEPT_ENCODING = "gzip, deflate"


# --- decoding ------------------------------------------------------------------------------


class Decoder:
    """Content-Encoding decoding (identity, gzip, deflate) that never expands one input chunk
    into more than DECODE_STEP bytes at a time."""

    def __init__(self, headers: httpx.Headers) -> None:
        value = headers.get("content-encoding")
        codings = [
            c.strip().lower()
            for c in (value.split(",") if value else ())
            if c.strip() and c.strip().lower() != "identity"
        ]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "deflate")):
            raise httpx.DecodingError(
                f"unsupported Content-Encoding {headers.get('content-encoding')!r} "
                f"(this client asks for {ACCEPT_ENCODING!r})"
            )
        self._coding = codings[0] if codings else None
        self.identity = self._coding is None
        """Nothing to decode: the bytes read are the body."""
        self._zlib: Any = None
        self._head = b""  # deflate: the first bytes, until they tell which flavour it is
        if self._coding == "gzip":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._coding is None:
            if data:
                yield data
            return
        if self._zlib is None:
            # "deflate" is zlib-wrapped by the standard, raw by some servers (as httpx knows).
            data = self._head + data
            if len(data) < 2:
                self._head = data
                return
            wrapped = (data[0] & 0x0F) == 8 and (data[0] * 256 + data[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            while data:
                out = self._zlib.decompress(data, DECODE_STEP)
                data = self._zlib.unconsumed_tail
                if out:
                    yield out
        except zlib.error as exc:
            raise httpx.DecodingError(f"invalid {self._coding} data ({exc})") from exc

    def flush(self) -> bytes:
        if self._zlib is None:
            if self._head:
                raise httpx.DecodingError(f"truncated {self._coding} data")
            return b""
        return bytes(self._zlib.flush())


def _too_large(response: httpx.Response, limit: int, what: str) -> ResponseTooLargeError:
    request = response.request
    return ResponseTooLargeError(
        f"{request.method} {request.url.path}: {what} is larger than {limit:,} bytes, the most "
        "this client holds in memory. If that is expected, raise "
        "Client(max_response_bytes=...).",
        limit=limit,
        method=request.method,
        url=str(request.url.copy_with(query=None)),
        status_code=response.status_code,
        request_id=response.headers.get("x-request-id"),
    )


# --- deadlines -------------------------------------------------------------------------------


def timed_out(request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout("the response did not complete within its deadline", request=request)


def cut_read_timeout(request: httpx.Request, deadline: float | None) -> None:
    """Cut the per-read timeout httpcore takes from the request for the next phase (headers,
    then body) to what the deadline leaves."""
    timeouts = request.extensions.get("timeout")
    if deadline is None or not isinstance(timeouts, dict):
        return
    left = max(0.001, deadline - time.monotonic())
    read = timeouts.get("read")
    timeouts["read"] = left if read is None else min(read, left)


def _check(deadline: float | None, request: httpx.Request) -> None:
    if deadline is not None and time.monotonic() >= deadline:
        raise timed_out(request)


# --- whole bodies ----------------------------------------------------------------------------


class _Collector:
    """Decoded bytes of one body, up to ``limit``: over it, raise (or, ``truncate``, stop)."""

    def __init__(self, response: httpx.Response, limit: int, truncate: bool) -> None:
        self.response = response
        self.decoder = Decoder(response.headers)
        self.limit = limit
        self.truncate = truncate
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, raw: bytes, final: bool = False) -> bool:
        """True when the body is complete (or cut at the limit)."""
        if self.decoder.identity and self.size + len(raw) <= self.limit:
            if raw:  # the usual case: an uncompressed chunk within the limit, kept as it is
                self.parts.append(raw)
                self.size += len(raw)
            return final
        pieces = itertools.chain(self.decoder.feed(raw), [self.decoder.flush()] if final else [])
        for piece in pieces:
            if self.size + len(piece) > self.limit:
                if not self.truncate:
                    raise _too_large(self.response, self.limit, "the response body")
                self.parts.append(piece[: self.limit - self.size])
                self.size = self.limit
                return True
            self.parts.append(piece)
            self.size += len(piece)
        return final

    def done(self) -> bytes:
        body = self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)
        # Later code reads response.content: the bounded, decoded body takes its place.
        self.response._content = body
        return body


def _already_read(response: httpx.Response) -> bytes | None:
    """The body of a response built whole (a mocked transport's), which cannot be streamed."""
    if not response.is_stream_consumed:
        return None
    try:
        return response.content
    except httpx.ResponseNotRead:
        return None


def _whole(response: httpx.Response, body: bytes, limit: int, truncate: bool) -> bytes:
    if len(body) > limit:
        if not truncate:
            raise _too_large(response, limit, "the response body")
        body = body[:limit]
        response._content = body
    return body


def read_body(
    response: httpx.Response, *, deadline: float | None, limit: int, truncate: bool = False
) -> bytes:
    """Read and close a streamed response within ``deadline`` (time.monotonic()) and ``limit``
    decoded bytes; a body over the limit raises ResponseTooLargeError, or with ``truncate``
    is cut to it. A missed deadline raises httpx.ReadTimeout."""
    try:
        whole = _already_read(response)
        if whole is not None:
            return _whole(response, whole, limit, truncate)
        collector = _Collector(response, limit, truncate)
        cut_read_timeout(response.request, deadline)
        with Watched(response, deadline) as watched:
            try:
                for raw in response.iter_raw():
                    if collector.add(raw):
                        break
                    _check(deadline, response.request)
                else:
                    collector.add(b"", final=True)
            except httpx.TransportError:
                if watched.fired:
                    raise timed_out(response.request) from None
                raise
        if watched.fired:
            raise timed_out(response.request)
        return collector.done()
    finally:
        response.close()


async def aread_body(
    response: httpx.Response, *, deadline: float | None, limit: int, truncate: bool = False
) -> bytes:
    """Async twin of `read_body` (the caller bounds the whole of it with asyncio.timeout)."""
    try:
        whole = _already_read(response)
        if whole is not None:
            return _whole(response, whole, limit, truncate)
        collector = _Collector(response, limit, truncate)
        async for raw in response.aiter_raw():
            if collector.add(raw):
                break
            _check(deadline, response.request)
        else:
            collector.add(b"", final=True)
        return collector.done()
    finally:
        await response.aclose()


# --- lines of an event stream ---------------------------------------------------------------

_EOL = re.compile(rb"\r\n|\r|\n")


class LineSplitter:
    """Splits decoded bytes into text lines (SSE: CRLF, LF or CR end a line); a line longer
    than ``limit`` raises ResponseTooLargeError."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._limit = limit
        self._buffer = bytearray()
        self._after_cr = False

    def feed(self, data: bytes) -> list[str]:
        if self._after_cr and data[:1] == b"\n":
            data = data[1:]
        self._after_cr = False
        lines = []
        start = 0
        for end in _EOL.finditer(data):
            self._grow(data[start : end.start()])
            lines.append(self._buffer.decode("utf-8", "replace"))
            self._buffer.clear()
            start = end.end()
            self._after_cr = end.group() == b"\r" and start == len(data)
        self._grow(data[start:])
        return lines

    def _grow(self, part: bytes) -> None:
        if len(self._buffer) + len(part) > self._limit:
            raise _too_large(self._response, self._limit, "one line of the event stream")
        self._buffer += part


def iter_lines(
    response: httpx.Response,
    *,
    limit: int,
    deadline: Callable[[], float | None],
    hard_deadline: float | None = None,
) -> Generator[str, None, None]:
    """The response's lines, each at most ``limit`` bytes; raises httpx.ReadTimeout once
    ``deadline()`` (asked after every chunk, so the caller may move it) has passed. A fixed
    ``hard_deadline`` also arms the watchdog, so a stalled read cannot outlast it."""
    lines = LineSplitter(response, limit)
    whole = _already_read(response)
    if whole is not None:
        yield from lines.feed(whole)
        return
    decoder = Decoder(response.headers)
    with Watched(response, hard_deadline) as watched:
        try:
            for raw in response.iter_raw():
                for piece in decoder.feed(raw):
                    yield from lines.feed(piece)
                _check(deadline(), response.request)
        except httpx.TransportError:
            if watched.fired:
                raise timed_out(response.request) from None
            raise
    if watched.fired:
        raise timed_out(response.request)
    yield from lines.feed(decoder.flush())


async def aiter_lines(
    response: httpx.Response, *, limit: int, deadline: Callable[[], float | None]
) -> AsyncIterator[str]:
    """Async twin of `iter_lines` (a hard deadline is the caller's asyncio.timeout)."""
    lines = LineSplitter(response, limit)
    whole = _already_read(response)
    if whole is not None:
        for line in lines.feed(whole):
            yield line
        return
    decoder = Decoder(response.headers)
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            for line in lines.feed(piece):
                yield line
        _check(deadline(), response.request)
    for line in lines.feed(decoder.flush()):
        yield line


# --- streamed bodies (downloads) -------------------------------------------------------------


def iter_decoded(
    response: httpx.Response, *, deadline: float | None
) -> Generator[bytes, None, None]:
    """The decoded body in pieces of bounded size, unbounded in total (for writing to disk);
    raises httpx.ReadTimeout once ``deadline`` passes (the watchdog ends a stalled read)."""
    whole = _already_read(response)
    if whole is not None:
        yield whole
        return
    decoder = Decoder(response.headers)
    with Watched(response, deadline) as watched:
        try:
            for raw in response.iter_raw():
                yield from decoder.feed(raw)
                _check(deadline, response.request)
        except httpx.TransportError:
            if watched.fired:
                raise timed_out(response.request) from None
            raise
    if watched.fired:
        raise timed_out(response.request)
    yield decoder.flush()


async def aiter_decoded(
    response: httpx.Response, *, deadline: float | None
) -> AsyncIterator[bytes]:
    """Async twin of `iter_decoded` (a hard deadline is the caller's asyncio.timeout)."""
    whole = _already_read(response)
    if whole is not None:
        yield whole
        return
    decoder = Decoder(response.headers)
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            yield piece
        _check(deadline, response.request)
    yield decoder.flush()
