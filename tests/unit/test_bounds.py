"""Bounds a server cannot break (issue 8, items 4, 5 and 7), over mocked transports and
sockets: rate-limit headers in waits, decoding, line splitting, the watchdog, download safety."""

from __future__ import annotations

import asyncio
import gzip
import io
import os
import socket
import stat
import time
import zlib
from pathlib import Path

import httpx
import pytest
from predictkit import (
    APIConnectionError,
    Client,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ResponseTooLargeError,
    UnsafeDownloadError,
)
from predictkit._body import (
    DEFAULT_MAX_RESPONSE_BYTES,
    Decoder,
    LineSplitter,
)
from predictkit._error_map import MAX_RETRY_AFTER
from predictkit._watchdog import Watchdog
from predictkit.streaming import SSEDecoder

API = "https://api.test/v1"
PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"


def _client(handler: httpx.MockTransport, **options: object) -> Client:
    return Client("tok", API, transport=handler, async_transport=handler, **options)  # type: ignore[arg-type]


def _rate_limited(headers: dict[str, str]) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(429, json={"detail": "slow down"}, headers=headers)
    )


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every sleep, refused beyond the cap: a wait that obeyed the header would sleep for an
    hour (or crash with OverflowError)."""
    seen: list[float] = []

    def sleep(seconds: float) -> None:
        seen.append(seconds)
        assert seconds <= MAX_RETRY_AFTER, f"slept {seconds}s on a server's word"

    async def asleep(seconds: float) -> None:
        sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    monkeypatch.setattr("predictkit._aio.sleep", asleep)
    return seen


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "3600"},
        {"retry-after": "1e18"},
        {"retry-after": "inf"},
        {"x-ratelimit-reset": "1e300"},
        {"x-ratelimit-reset": "1e400"},
    ],
    ids=["an-hour", "1e18", "inf", "absurd-reset", "infinite-reset"],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_wait_never_sleeps_longer_than_a_plain_call_would(
    sleeps: list[float], headers: dict[str, str], mode: str
) -> None:
    with (
        _client(_rate_limited(headers), max_retries=0) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        if mode == "sync":
            client.predictions.wait(PID)
        else:
            asyncio.run(client.predictions.async_wait(PID))
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > MAX_RETRY_AFTER
    assert sleeps == []


@pytest.mark.parametrize("value", ["nan", "-inf", "Fri, 31 Dec 99999 23:59:59 GMT", "garbage"])
def test_an_unusable_retry_after_never_crashes(sleeps: list[float], value: str) -> None:
    with (
        _client(_rate_limited({"retry-after": value}), max_retries=1) as client,
        pytest.raises(RateLimitError),
    ):
        client.predictions.get(PID)
    assert len(sleeps) == 1  # one ordinary backoff, then the error


# --- decoding and lines ----------------------------------------------------------------------


def _decode(encoding: str, data: bytes, step: int) -> bytes:
    decoder = Decoder(httpx.Headers({"content-encoding": encoding}))
    out = b"".join(
        piece for i in range(0, len(data), step) for piece in decoder.feed(data[i : i + step])
    )
    return out + decoder.flush()


@pytest.mark.parametrize("step", [1, 7, 1 << 20])
def test_gzip_and_both_deflate_flavours_decode_in_any_chunking(step: int) -> None:
    text = b'{"output": "' + b"abc" * 5000 + b'"}'
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw_deflate = raw.compress(text) + raw.flush()
    assert _decode("gzip", gzip.compress(text), step) == text
    assert _decode("deflate", zlib.compress(text), step) == text
    assert _decode("deflate", raw_deflate, step) == text
    assert _decode("identity", text, step) == text


def test_a_bomb_decodes_in_bounded_steps() -> None:
    bomb = gzip.compress(b"\0" * (64 << 20))
    decoder = Decoder(httpx.Headers({"content-encoding": "gzip"}))
    sizes = [len(piece) for piece in decoder.feed(bomb[:65536])]
    assert sizes and max(sizes) <= 256 * 1024


def test_an_encoding_the_client_did_not_ask_for_is_a_parse_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept-encoding"] == "gzip, deflate"
        return httpx.Response(200, content=b"\x00\x01", headers={"content-encoding": "br"})

    with _client(httpx.MockTransport(handler)) as client, pytest.raises(ResponseParseError):
        client.predictions.get(PID)


def test_lines_split_on_every_sse_line_end_even_across_chunks() -> None:
    splitter = LineSplitter(httpx.Response(200, request=httpx.Request("GET", API)), limit=100)
    lines: list[str] = []
    for chunk in [b"a\r", b"\nb\rc", b"\n\r", b"\r\n", b"d"]:
        lines += splitter.feed(chunk)
    assert lines == ["a", "b", "c", "", ""]


def test_a_line_over_the_limit_is_refused_before_it_grows() -> None:
    splitter = LineSplitter(httpx.Response(200, request=httpx.Request("GET", API)), limit=10)
    splitter.feed(b"x" * 10)
    with pytest.raises(ResponseTooLargeError) as caught:
        splitter.feed(b"x")
    assert caught.value.limit == 10


def test_an_event_over_the_limit_is_refused_though_each_line_fits() -> None:
    decoder = SSEDecoder(limit=100)
    for _ in range(9):
        assert decoder.feed("data: " + "x" * 10) is None
    with pytest.raises(ResponseTooLargeError) as caught:
        decoder.feed("data: " + "x" * 10)
    assert caught.value.limit == 100
    small = SSEDecoder(limit=100)
    small.feed('data: "' + "x" * 80 + '"')
    event = small.feed("")
    assert event is not None and event.data == "x" * 80


# --- the watchdog and the options ------------------------------------------------------------


def test_the_watchdog_ends_a_read_that_would_block_past_its_deadline() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.settimeout(60)  # a safety net only: the watchdog must end the read long before
        watchdog = Watchdog()
        key = watchdog.arm(time.monotonic() + 0.05, ours)
        assert ours.recv(1) == b""  # the peer never writes: only a shutdown ends this read
        assert watchdog.disarm(key) is True


def test_an_earlier_deadline_armed_while_the_watchdog_sleeps_still_fires() -> None:
    """The thread is woken only for a deadline earlier than the one it sleeps until: one armed
    after a far one must still end its read."""
    far, far_peer = socket.socketpair()
    ours, theirs = socket.socketpair()
    with far, far_peer, ours, theirs:
        ours.settimeout(60)  # a safety net only
        watchdog = Watchdog()
        far_key = watchdog.arm(time.monotonic() + 3600, far)  # the thread now sleeps an hour
        key = watchdog.arm(time.monotonic() + 0.05, ours)
        assert ours.recv(1) == b""
        assert watchdog.disarm(key) is True
        assert watchdog.disarm(far_key) is False


def test_reads_one_after_another_keep_the_watchdog_heap_small() -> None:
    """Each arm drops the reads already over: the heap holds the reads in progress, not every
    read since the watchdog started."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        watchdog = Watchdog()
        for _ in range(100):
            key = watchdog.arm(time.monotonic() + 3600, ours)
            assert len(watchdog._heap) == 1
            assert watchdog.disarm(key) is False


def test_a_disarmed_watchdog_leaves_the_socket_alone() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        watchdog = Watchdog()
        assert watchdog.disarm(watchdog.arm(time.monotonic() + 3600, ours)) is False
        theirs.sendall(b"x")
        assert ours.recv(1) == b"x"


def test_max_response_bytes_is_an_option_with_a_generous_default() -> None:
    with Client("t", API) as client:
        assert client.max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES == 64 * 1024 * 1024
        assert client.with_options(max_response_bytes=2048).max_response_bytes == 2048
    for bad in (0, 10, -1, 1.5, True, "1"):
        with pytest.raises(ValueError, match="max_response_bytes"):
            Client("t", API, max_response_bytes=bad)  # type: ignore[arg-type]


# --- downloads -------------------------------------------------------------------------------


def test_an_https_url_redirecting_to_plain_http_on_loopback_is_refused() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.scheme == "https":
            return httpx.Response(302, headers={"location": "http://127.0.0.1:8080/admin"})
        return httpx.Response(200, content=b"internal")

    with (
        _client(httpx.MockTransport(handler)) as client,
        pytest.raises(UnsafeDownloadError, match="https to plain http"),
    ):
        client.predictions.download_output("https://files.test/out.png", io.BytesIO())
    assert seen == ["https://files.test/out.png"]


def test_credentials_in_a_url_never_appear_in_errors() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="no")

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    url = "https://alice:s3cret@files.test/out.png?sig=s3cret"
    for handler, error in ((refused, PermissionDeniedError), (unreachable, APIConnectionError)):
        with _client(httpx.MockTransport(handler)) as client, pytest.raises(error) as caught:
            client.predictions.download_output(url, io.BytesIO())
        assert "s3cret" not in str(caught.value) and "s3cret" not in (caught.value.url or "")
        assert "alice" not in str(caught.value)
    with Client("t", API) as client, pytest.raises(UnsafeDownloadError) as refused_scheme:
        client.predictions.download_output("ftp://alice:s3cret@files.test/x", io.BytesIO())
    assert "s3cret" not in str(refused_scheme.value)


def test_an_output_that_is_not_a_url_says_so() -> None:
    with Client("t", API) as client, pytest.raises(TypeError) as caught:
        client.predictions.download_output({"image": "https://files.test/x.png"}, io.BytesIO())  # type: ignore[arg-type]
    assert "dict" in str(caught.value) and "URL" in str(caught.value)


def _serving(content: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, content=content))


def test_overwriting_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with _client(_serving(b"new")) as client:
        assert client.predictions.download_output("https://files.test/x", target) == 3
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def test_file_errors_name_the_target_not_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.bin"
    with _client(_serving(b"x")) as client, pytest.raises(FileNotFoundError) as caught:
        client.predictions.download_output("https://files.test/x", target)
    assert caught.value.filename == str(target)
    assert ".part" not in str(caught.value)


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "5"])
def test_download_time_options_are_checked_before_sending(value: object) -> None:
    with Client("t", API) as client:
        for name in ("timeout", "stall_timeout"):
            with pytest.raises(ValueError, match=name):
                client.predictions.download_output(
                    "https://files.test/x",
                    io.BytesIO(),
                    **{name: value},  # type: ignore[arg-type]
                )
