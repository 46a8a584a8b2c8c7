"""Bounded body reads (predictkit._body) on streamed responses built in memory: limits at their
edge, truncation, deadlines, decoding, and the sync and async twins agreeing."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import httpx
import pytest
from predictkit import ResponseTooLargeError
from predictkit._body import (
    DECODE_STEP,
    Decoder,
    LineSplitter,
    aiter_decoded,
    aiter_lines,
    aread_body,
    cut_read_timeout,
    iter_decoded,
    iter_lines,
    read_body,
)

URL = "https://api.test/v1/predictions/p1?sig=s3cr3t"
LATER = 1e12  # a deadline that never passes (time.monotonic() is far below it)


class Chunks:
    """A body stream that records how far it was read and whether it was closed."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = list(chunks)
        self.served = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class SyncStream(httpx.SyncByteStream):
    def __init__(self, chunks: Chunks) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)

    def close(self) -> None:
        self._chunks.close()


class AsyncStream(httpx.AsyncByteStream):
    def __init__(self, chunks: Chunks) -> None:
        self._chunks = chunks

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks.__aiter__()

    async def aclose(self) -> None:
        await self._chunks.aclose()


def request(timeouts: dict[str, Any] | None = None) -> httpx.Request:
    extensions = {} if timeouts is None else {"timeout": timeouts}
    return httpx.Request("GET", URL, extensions=extensions)


def streamed(
    chunks: Chunks, *, encoding: str | None = None, asynchronous: bool = False, **kw: Any
) -> httpx.Response:
    headers = {"x-request-id": "req-1"}
    if encoding:
        headers["content-encoding"] = encoding
    stream: Any = AsyncStream(chunks) if asynchronous else SyncStream(chunks)
    return httpx.Response(200, headers=headers, stream=stream, request=kw.get("req", request()))


def whole(body: bytes) -> httpx.Response:
    return httpx.Response(200, content=body, request=request())


def read(response: httpx.Response, asynchronous: bool, **kw: Any) -> bytes:
    if asynchronous:
        return asyncio.run(aread_body(response, **kw))
    return read_body(response, **kw)


both = pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])


@both
def test_a_body_of_exactly_the_limit_is_read(asynchronous: bool) -> None:
    chunks = Chunks([b"abc", b"def"])
    response = streamed(chunks, asynchronous=asynchronous)
    assert read(response, asynchronous, deadline=LATER, limit=6) == b"abcdef"
    assert response.content == b"abcdef"
    assert chunks.closed


@both
def test_one_byte_over_the_limit_is_refused_with_the_facts(asynchronous: bool) -> None:
    chunks = Chunks([b"abc", b"defg", b"never read"])
    response = streamed(chunks, asynchronous=asynchronous)
    with pytest.raises(ResponseTooLargeError) as caught:
        read(response, asynchronous, deadline=LATER, limit=6)
    error = caught.value
    assert error.limit == 6
    assert (error.method, error.status_code, error.request_id) == ("GET", 200, "req-1")
    assert error.url == "https://api.test/v1/predictions/p1"  # no query: it may be a credential
    assert "s3cr3t" not in str(error) and "/v1/predictions/p1" in str(error)
    assert "6 bytes" in str(error) and "max_response_bytes" in str(error)
    assert chunks.served == 2 and chunks.closed


@both
def test_truncate_cuts_at_the_limit_and_stops_reading(asynchronous: bool) -> None:
    chunks = Chunks([b"abc", b"defg", b"never read"])
    response = streamed(chunks, asynchronous=asynchronous)
    body = read(response, asynchronous, deadline=LATER, limit=5, truncate=True)
    assert body == b"abcde" and response.content == b"abcde"
    assert chunks.served == 2 and chunks.closed


@both
def test_a_compressed_body_is_capped_by_its_decoded_size(asynchronous: bool) -> None:
    data = gzip.compress(b"x" * 1000)
    ok = streamed(Chunks([data[:10], data[10:]]), encoding="gzip", asynchronous=asynchronous)
    assert read(ok, asynchronous, deadline=LATER, limit=1000) == b"x" * 1000
    big = streamed(Chunks([data]), encoding="gzip", asynchronous=asynchronous)
    with pytest.raises(ResponseTooLargeError):
        read(big, asynchronous, deadline=LATER, limit=999)


@both
def test_the_decoders_tail_is_kept(asynchronous: bool) -> None:
    # A one-byte deflate body can only be judged at the end: it is truncated.
    response = streamed(Chunks([b"x"]), encoding="deflate", asynchronous=asynchronous)
    with pytest.raises(httpx.DecodingError, match="truncated deflate"):
        read(response, asynchronous, deadline=LATER, limit=100)


@both
def test_a_passed_deadline_ends_the_read_after_the_chunk_in_hand(asynchronous: bool) -> None:
    chunks = Chunks([b"a", b"b", b"c"])
    response = streamed(chunks, asynchronous=asynchronous)
    with pytest.raises(httpx.ReadTimeout) as caught:
        read(response, asynchronous, deadline=time.monotonic() - 1, limit=100)
    assert caught.value.request is response.request
    assert str(caught.value) == "the response did not complete within its deadline"
    assert chunks.served == 1 and chunks.closed


@both
def test_no_deadline_reads_to_the_end(asynchronous: bool) -> None:
    response = streamed(Chunks([b"a", b"b"]), asynchronous=asynchronous)
    assert read(response, asynchronous, deadline=None, limit=100) == b"ab"


@both
def test_a_body_already_in_memory_is_bounded_too(asynchronous: bool) -> None:
    assert read(whole(b"abcdef"), asynchronous, deadline=LATER, limit=6) == b"abcdef"
    with pytest.raises(ResponseTooLargeError) as caught:
        read(whole(b"abcdefg"), asynchronous, deadline=LATER, limit=6)
    assert caught.value.limit == 6
    cut = whole(b"abcdefg")
    assert read(cut, asynchronous, deadline=LATER, limit=4, truncate=True) == b"abcd"
    assert cut.content == b"abcd"


def test_the_read_timeout_is_cut_to_what_the_deadline_leaves() -> None:
    timeouts: dict[str, Any] = {"read": 30.0}
    cut_read_timeout(request(timeouts), time.monotonic() + 5)
    assert 0 < timeouts["read"] <= 5

    timeouts = {"read": 0.5}
    cut_read_timeout(request(timeouts), time.monotonic() + 100)
    assert timeouts["read"] == 0.5

    timeouts = {"read": None}
    cut_read_timeout(request(timeouts), time.monotonic() + 5)
    assert 1 < timeouts["read"] <= 5

    timeouts = {"read": 30.0}
    cut_read_timeout(request(timeouts), time.monotonic() - 10)
    assert timeouts["read"] == 0.001  # never 0 or negative: that would mean "no timeout"

    timeouts = {"read": 30.0}
    cut_read_timeout(request(timeouts), None)
    assert timeouts["read"] == 30.0
    cut_read_timeout(request(), time.monotonic() + 5)  # no timeout extension: nothing to cut


def test_read_body_cuts_the_read_timeout_before_reading() -> None:
    timeouts: dict[str, Any] = {"read": 30.0}
    response = streamed(Chunks([b"a"]), req=request(timeouts))
    assert read_body(response, deadline=time.monotonic() + 5, limit=10) == b"a"
    assert timeouts["read"] <= 5


@pytest.mark.parametrize("encoding", ["GZIP", " gzip ", "identity, gzip", "gzip, identity"])
def test_content_encoding_is_read_loosely(encoding: str) -> None:
    decoder = Decoder(httpx.Headers({"content-encoding": encoding}))
    assert b"".join(decoder.feed(gzip.compress(b"hello"))) + decoder.flush() == b"hello"


@pytest.mark.parametrize("encoding", ["gzip, gzip", "gzip, deflate", "br", "zstd"])
def test_stacked_or_unasked_encodings_are_refused(encoding: str) -> None:
    with pytest.raises(httpx.DecodingError, match="unsupported Content-Encoding") as caught:
        Decoder(httpx.Headers({"content-encoding": encoding}))
    assert encoding in str(caught.value) and "gzip, deflate" in str(caught.value)


def test_identity_passes_bytes_through_and_drops_empty_chunks() -> None:
    decoder = Decoder(httpx.Headers())
    assert list(decoder.feed(b"")) == []
    assert list(decoder.feed(b"ab")) == [b"ab"]
    assert decoder.flush() == b""


def test_corrupt_compressed_data_is_a_decoding_error() -> None:
    decoder = Decoder(httpx.Headers({"content-encoding": "gzip"}))
    with pytest.raises(httpx.DecodingError, match="invalid gzip data"):
        list(decoder.feed(b"\x1f\x8b" + b"\xff" * 20))


def test_a_deflate_head_split_over_chunks_is_judged_once_whole() -> None:
    data = zlib.compress(b"hello" * 100)
    decoder = Decoder(httpx.Headers({"content-encoding": "deflate"}))
    assert list(decoder.feed(data[:1])) == []
    out = b"".join(decoder.feed(data[1:2])) + b"".join(decoder.feed(data[2:])) + decoder.flush()
    assert out == b"hello" * 100


def test_one_chunk_expands_in_steps_of_at_most_decode_step() -> None:
    decoder = Decoder(httpx.Headers({"content-encoding": "deflate"}))
    pieces = list(decoder.feed(zlib.compress(b"\0" * (3 * DECODE_STEP + 5))))
    assert [len(p) for p in pieces] == [DECODE_STEP] * 3 + [5]


def test_a_line_of_exactly_the_limit_fits() -> None:
    splitter = LineSplitter(whole(b""), limit=4)
    assert splitter.feed(b"abcd\n") == ["abcd"]
    assert splitter.feed(b"ab") == [] and splitter.feed(b"cd\r\n") == ["abcd"]
    with pytest.raises(ResponseTooLargeError, match="one line of the event stream"):
        splitter.feed(b"abcde")


def test_a_cr_then_lf_in_the_next_chunk_is_one_line_end() -> None:
    splitter = LineSplitter(whole(b""), limit=100)
    assert splitter.feed(b"a\r") == ["a"]
    assert splitter.feed(b"\nb\n") == ["b"]
    assert splitter.feed(b"c\r\r") == ["c", ""]
    assert splitter.feed(b"\n") == []  # the LF that follows a CR ending the last chunk


def lines(response: httpx.Response, asynchronous: bool, **kw: Any) -> list[str]:
    if not asynchronous:
        return list(iter_lines(response, **kw))

    async def collect() -> list[str]:
        return [line async for line in aiter_lines(response, **kw)]

    return asyncio.run(collect())


@both
def test_event_stream_lines_are_decoded_and_split(asynchronous: bool) -> None:
    data = gzip.compress(b"event: a\ndata: 1\n\ndata: 2\n")
    response = streamed(Chunks([data[:5], data[5:]]), encoding="gzip", asynchronous=asynchronous)
    got = lines(response, asynchronous, limit=100, deadline=lambda: None)
    assert got == ["event: a", "data: 1", "", "data: 2"]


@both
def test_event_stream_lines_of_a_whole_body(asynchronous: bool) -> None:
    got = lines(whole(b"a\nb\n"), asynchronous, limit=100, deadline=lambda: LATER)
    assert got == ["a", "b"]


@both
def test_event_stream_deadline_is_asked_after_every_chunk(asynchronous: bool) -> None:
    asked: list[int] = []

    def deadline() -> float:
        asked.append(1)
        return LATER if len(asked) < 2 else time.monotonic() - 1

    chunks = Chunks([b"a\n", b"b\n", b"c\n"])
    response = streamed(chunks, asynchronous=asynchronous)
    with pytest.raises(httpx.ReadTimeout) as caught:
        lines(response, asynchronous, limit=100, deadline=deadline)
    assert chunks.served == 2
    assert caught.value.request is response.request


@both
def test_event_stream_lines_over_the_limit_are_refused(asynchronous: bool) -> None:
    response = streamed(Chunks([b"abcdef\n"]), asynchronous=asynchronous)
    with pytest.raises(ResponseTooLargeError):
        lines(response, asynchronous, limit=5, deadline=lambda: None)


def decoded(response: httpx.Response, asynchronous: bool, **kw: Any) -> list[bytes]:
    if not asynchronous:
        return list(iter_decoded(response, **kw))

    async def collect() -> list[bytes]:
        return [piece async for piece in aiter_decoded(response, **kw)]

    return asyncio.run(collect())


@both
def test_a_download_is_decoded_piece_by_piece(asynchronous: bool) -> None:
    data = zlib.compress(b"file" * 1000)
    response = streamed(Chunks([data[:7], data[7:]]), encoding="deflate", asynchronous=asynchronous)
    assert b"".join(decoded(response, asynchronous, deadline=LATER)) == b"file" * 1000
    plain = streamed(Chunks([b"ab", b"cd"]), asynchronous=asynchronous)
    assert decoded(plain, asynchronous, deadline=None) == [b"ab", b"cd", b""]


@both
def test_a_download_already_in_memory_comes_whole(asynchronous: bool) -> None:
    assert decoded(whole(b"abc"), asynchronous, deadline=LATER) == [b"abc"]


@both
def test_a_download_past_its_deadline_stops(asynchronous: bool) -> None:
    chunks = Chunks([b"a", b"b", b"c"])
    response = streamed(chunks, asynchronous=asynchronous)
    with pytest.raises(httpx.ReadTimeout) as caught:
        decoded(response, asynchronous, deadline=time.monotonic() - 1)
    assert chunks.served == 1
    assert caught.value.request is response.request


def test_an_empty_raw_deflate_body_of_two_bytes_decodes_to_nothing() -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    empty = raw.compress(b"") + raw.flush()
    assert len(empty) == 2
    decoder = Decoder(httpx.Headers({"content-encoding": "deflate"}))
    assert b"".join(decoder.feed(empty)) + decoder.flush() == b""


def test_invalid_utf8_in_a_line_is_replaced_not_raised() -> None:
    splitter = LineSplitter(whole(b""), limit=100)
    assert splitter.feed(b"a\xffb\n") == ["a\ufffdb"]


def test_a_fresh_splitter_keeps_a_leading_empty_line() -> None:
    assert LineSplitter(whole(b""), limit=100).feed(b"\nx\n") == ["", "x"]


def test_the_too_large_message_says_which_body_and_what_to_raise() -> None:
    response = streamed(Chunks([b"abcdefg"]))
    with pytest.raises(ResponseTooLargeError) as caught:
        read_body(response, deadline=LATER, limit=6)
    message = (
        "GET /v1/predictions/p1: the response body is larger than 6 bytes, the most this client "
        "holds in memory. If that is expected, raise Client(max_response_bytes=...)."
    )
    assert str(caught.value) == f"{message} (request id req-1)"
    with pytest.raises(ResponseTooLargeError) as in_memory:
        read_body(whole(b"abcdefg"), deadline=LATER, limit=6)  # no request id
    assert str(in_memory.value) == message


def test_a_line_too_long_says_it_is_a_line_of_the_event_stream() -> None:
    splitter = LineSplitter(whole(b""), limit=2)
    with pytest.raises(ResponseTooLargeError) as caught:
        splitter.feed(b"abc")
    assert ": one line of the event stream is larger than 2 bytes" in str(caught.value)


def test_the_size_counts_every_chunk() -> None:
    response = streamed(Chunks([b"ab", b"cd", b"ef", b"g"]))
    with pytest.raises(ResponseTooLargeError):
        read_body(response, deadline=LATER, limit=6)


def test_a_chunk_without_a_line_end_does_not_eat_the_next_lf() -> None:
    splitter = LineSplitter(whole(b""), limit=100)
    assert splitter.feed(b"ab") == []
    assert splitter.feed(b"\nc\n") == ["ab", "c"]
