"""The uncompressed body's short path in predictkit._body (chunks kept as they come, no
decoder): the same bounds as every other read, at their edges, sync and async."""

from __future__ import annotations

import gzip
import zlib

import pytest
from predictkit import ResponseTooLargeError

from .test_body import LATER, Chunks, both, read, streamed


@both
@pytest.mark.parametrize("encoding", [None, "identity", " Identity "])
def test_an_uncompressed_body_in_many_chunks_is_read_whole(
    asynchronous: bool, encoding: str | None
) -> None:
    chunks = Chunks([b"ab", b"", b"cd", b"e"])
    response = streamed(chunks, encoding=encoding, asynchronous=asynchronous)
    assert read(response, asynchronous, deadline=LATER, limit=5) == b"abcde"
    assert response.content == b"abcde" and chunks.closed


@both
def test_one_chunk_past_the_limit_is_refused_even_after_chunks_within_it(
    asynchronous: bool,
) -> None:
    chunks = Chunks([b"ab", b"cd", b"efg", b"never read"])
    response = streamed(chunks, asynchronous=asynchronous)
    with pytest.raises(ResponseTooLargeError):
        read(response, asynchronous, deadline=LATER, limit=6)
    assert chunks.served == 3 and chunks.closed


@both
def test_a_single_chunk_over_the_limit_is_cut_when_truncating(asynchronous: bool) -> None:
    chunks = Chunks([b"abcdefgh", b"never read"])
    response = streamed(chunks, asynchronous=asynchronous)
    assert read(response, asynchronous, deadline=LATER, limit=3, truncate=True) == b"abc"
    assert chunks.served == 1


@both
def test_gzip_still_goes_through_the_bounded_decoder(asynchronous: bool) -> None:
    bomb = gzip.compress(b"0" * 100_000)
    response = streamed(Chunks([bomb]), encoding="gzip", asynchronous=asynchronous)
    with pytest.raises(ResponseTooLargeError):
        read(response, asynchronous, deadline=LATER, limit=len(bomb) + 10)


@both
def test_a_gzip_body_over_the_limit_only_in_total_is_refused(asynchronous: bool) -> None:
    """Three flushed gzip chunks of 20 decoded bytes each: no piece is over the limit of 50,
    their sum is (the decoded size is counted across pieces)."""
    packer = zlib.compressobj(wbits=31)
    chunks = [packer.compress(b"x" * 20) + packer.flush(zlib.Z_FULL_FLUSH) for _ in range(3)]
    chunks[-1] += packer.flush()
    assert gzip.decompress(b"".join(chunks)) == b"x" * 60
    response = streamed(Chunks(chunks), encoding="gzip", asynchronous=asynchronous)
    with pytest.raises(ResponseTooLargeError):
        read(response, asynchronous, deadline=LATER, limit=50)
    within = streamed(Chunks(list(chunks)), encoding="gzip", asynchronous=asynchronous)
    assert read(within, asynchronous, deadline=LATER, limit=60) == b"x" * 60
