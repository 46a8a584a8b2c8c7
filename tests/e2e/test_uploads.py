"""File inputs and client.uploads end to end, sync and async, against the reference server."""

from __future__ import annotations

import asyncio
import io
import itertools
import os
import traceback
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import httpx
import pytest
from predictkit import (
    APIConnectionError,
    Client,
    CreateOutcomeUnknownError,
    FileInputError,
    UploadedFile,
    UploadError,
)
from predictkit.testing import Fault, RecordedRequest, ReferenceServer

PART = 256 * 1024  # the reference server's part size


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class Calls:
    """``client.uploads.<name>`` / ``client.predictions.create`` or their async twins."""

    def __init__(self, client: Client, mode: str) -> None:
        self.client = client
        self.mode = mode

    def _run(self, resource: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.mode == "sync":
            return getattr(resource, name)(*args, **kwargs)
        return asyncio.run(_await(getattr(resource, f"async_{name}")(*args, **kwargs)))

    def upload(self, *args: Any, **kwargs: Any) -> UploadedFile:
        result = self._run(self.client.uploads, "upload", *args, **kwargs)
        assert isinstance(result, UploadedFile)
        return result

    def resolve(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(self.client.uploads, "resolve_files", *args, **kwargs)

    def create(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(self.client.predictions, "create", *args, **kwargs)


@pytest.fixture(params=["sync", "async"])
def calls(request: pytest.FixtureRequest, predictkit_client: Client) -> Calls:
    return Calls(predictkit_client, request.param)


def _fetch(url: str) -> bytes:
    response = httpx.get(url)
    response.raise_for_status()
    return response.content


def _parts(server: ReferenceServer) -> list[RecordedRequest]:
    return [r for r in server.requests if r.method == "PUT" and r.path.startswith("/uploads/")]


def _ops(server: ReferenceServer, operation_id: str) -> list[RecordedRequest]:
    return [r for r in server.requests if r.operation_id == operation_id]


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """Three parts on the reference server: two full, one of 1000 bytes."""
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(2 * PART + 1000))
    return path


# --- the flow ------------------------------------------------------------------------------------


def test_upload_a_path_in_parts(
    calls: Calls, predictkit_server: ReferenceServer, big: Path
) -> None:
    uploaded = calls.upload(big)
    assert _fetch(uploaded.url) == big.read_bytes()
    assert (uploaded.size, uploaded.mime_type) == (big.stat().st_size, "application/octet-stream")
    [start] = _ops(predictkit_server, "create_upload")
    assert start.body == b'{"size":525288,"mime_type":"application/octet-stream"}'
    parts = _parts(predictkit_server)
    assert sorted(r.path.rsplit("/", 1)[1] for r in parts) == ["0", "1", "2"]
    assert sorted(int(r.headers["content-length"]) for r in parts) == [1000, PART, PART]
    assert {r.headers["content-type"] for r in parts} == {"application/octet-stream"}
    assert len(_ops(predictkit_server, "complete_upload")) == 1


def test_upload_from_a_str_path_bytes_and_an_open_file(calls: Calls, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG not really")
    by_str = calls.upload(str(photo))
    assert (by_str.mime_type, _fetch(by_str.url)) == ("image/png", b"\x89PNG not really")
    assert _fetch(calls.upload(b"raw bytes").url) == b"raw bytes"
    with photo.open("rb") as stream:
        stream.seek(5)  # an open file is uploaded from its position to its end...
        assert _fetch(calls.upload(stream).url) == b"not really"
        assert stream.tell() == 5  # ...and left where it was


def test_an_empty_file_uploads(calls: Calls) -> None:
    uploaded = calls.upload(b"")
    assert (uploaded.size, _fetch(uploaded.url)) == (0, b"")


def test_files_anywhere_in_a_prediction_input_become_urls(
    calls: Calls, predictkit_server: ReferenceServer, big: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.bin"
    copy.write_bytes(big.read_bytes())  # another file, same content: uploaded once
    text = tmp_path / "notes.txt"
    text.write_bytes(b"hello")
    params = {
        "input": {
            "image": big,
            "more": [copy, {"deep": [b"hello", text]}, io.BytesIO(b"stream")],
            "again": big,
            "prompt": str(text),  # a string is never a file
        }
    }
    prediction = calls.create(params, model="demo/echo", wait=True)
    out = prediction.output
    assert out["prompt"] == str(text)
    assert out["image"] == out["again"] == out["more"][0]
    assert out["more"][1]["deep"][0] == out["more"][1]["deep"][1]  # same bytes as the file
    assert _fetch(out["image"]) == big.read_bytes()
    assert _fetch(out["more"][1]["deep"][0]) == b"hello"
    assert _fetch(out["more"][2]) == b"stream"
    assert params["input"]["image"] == big  # the caller's input is not modified
    assert len(_ops(predictkit_server, "create_upload")) == 3  # big, hello, stream
    starts = [r.body for r in _ops(predictkit_server, "create_upload")]
    assert b'"size":5,' in starts[1] and b'"size":6,' in starts[2]
    create = _ops(predictkit_server, "create_prediction")
    assert len(create) == 1 and b"X-Amz-Signature" not in create[0].body


def test_no_token_or_client_header_goes_to_the_part_urls(
    predictkit_server: ReferenceServer, big: Path
) -> None:
    with Client(
        access_token=predictkit_server.token,
        api_base_url=predictkit_server.url,
        headers={"X-Api-Secret": "for the API only"},
    ) as client:
        client.uploads.upload(big)
        asyncio.run(client.uploads.async_upload(big))
    parts = _parts(predictkit_server)
    assert len(parts) == 6
    for r in parts:
        assert "authorization" not in r.headers
        assert "x-api-secret" not in r.headers
        assert r.headers["user-agent"].startswith("predictkit/")
    for op in ("create_upload", "complete_upload"):
        assert [r.headers.get("authorization") for r in _ops(predictkit_server, op)] == [
            "<redacted>"
        ] * 2


def test_progress_counts_every_byte_once(calls: Calls, big: Path) -> None:
    seen: list[tuple[int, int]] = []
    calls.resolve({"a": big, "b": b"12345"}, on_progress=lambda s, t: seen.append((s, t)))
    total = big.stat().st_size + 5
    assert {t for _, t in seen} == {total}
    sent = [s for s, _ in seen]
    assert sent == sorted(sent) and sent[-1] == total
    steps = sorted(b - a for a, b in zip([0, *sent], sent, strict=False))
    assert steps == [5, 1000, PART, PART]


# --- failures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [Fault.status(503, retry_after=0), Fault.drop(), Fault.drop(after_handling=True)],
    ids=["503", "dropped", "dropped-after-storing"],
)
def test_a_part_failing_once_is_retried_alone(
    calls: Calls, predictkit_server: ReferenceServer, big: Path, fault: Fault
) -> None:
    predictkit_server.inject_part(fault, index=1)
    seen: list[int] = []
    uploaded = calls.upload(big, on_progress=lambda s, t: seen.append(s))
    assert _fetch(uploaded.url) == big.read_bytes()
    paths = sorted(r.path.rsplit("/", 1)[1] for r in _parts(predictkit_server))
    assert paths == ["0", "1", "1", "2"]
    assert seen[-1] == big.stat().st_size
    # The failed attempt's bytes were taken back before they were sent again.
    assert any(b < a for a, b in itertools.pairwise(seen))


def test_a_part_failing_for_good_names_the_file_not_the_signature(
    calls: Calls, predictkit_server: ReferenceServer, big: Path
) -> None:
    predictkit_server.inject_part(Fault.status(500, retry_after=0), index=2, times=10)
    with pytest.raises(UploadError) as info:
        calls.create({"input": {"file": big}}, model="demo/echo")
    error = info.value
    assert error.file == f"input['file'] ({big})"
    assert error.part == 2
    assert error.status_code == 500
    assert str(big) in str(error) and "part 3 of 3" in str(error)
    assert error.url is not None and "?" not in error.url
    signature = "X-Amz-Signature"
    assert signature not in str(error) and signature not in repr(error.__cause__)
    assert (
        len([r for r in _parts(predictkit_server) if r.path.endswith("/2")]) == 3
    )  # 1 + 2 retries
    assert _ops(predictkit_server, "complete_upload") == []
    assert _ops(predictkit_server, "create_prediction") == []  # nothing created


def test_a_part_whose_connection_fails_names_the_upload_host_not_the_api(
    calls: Calls, predictkit_server: ReferenceServer, big: Path
) -> None:
    """A part's storage host is not the API: the advice once read "Check the network and
    api_base_url" for a part that could not be sent."""
    predictkit_server.inject_part(Fault.drop(), index=1, times=10)
    with pytest.raises(UploadError) as info:
        calls.upload(big)
    error = info.value
    assert error.part == 1
    assert isinstance(error.__cause__, APIConnectionError)
    host = httpx.URL(predictkit_server.url).host
    assert f"that {host} is reachable" in str(error)
    assert "api_base_url" not in str(error)


def test_a_rejected_signature_never_shows_in_the_error(
    calls: Calls, big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = calls.client.uploads._parts
    name = "put" if calls.mode == "sync" else "async_put"
    real = getattr(sender, name)
    forged = "forged-signature-value"

    def stale(url: str, *args: Any) -> Any:  # as an expired or mangled pre-signed URL would be
        return real(url.split("?", maxsplit=1)[0] + "?X-Amz-Signature=" + forged, *args)

    monkeypatch.setattr(sender, name, stale)
    with pytest.raises(UploadError) as info:
        calls.upload(big)
    error = info.value
    assert error.status_code == 403
    assert error.body is None  # the storage's XML echoes the signature it got
    shown = "".join(traceback.format_exception(error)) + repr(vars(error))
    assert forged not in shown


def test_a_start_is_not_repeated_blindly(
    calls: Calls, predictkit_server: ReferenceServer, big: Path
) -> None:
    predictkit_server.inject("create_upload", Fault.status(503))
    with pytest.raises(UploadError, match=r"may or may not have reached the server") as info:
        calls.upload(big)
    assert isinstance(info.value.__cause__, CreateOutcomeUnknownError)
    assert info.value.file == str(big)
    assert len(_ops(predictkit_server, "create_upload")) == 1
    assert _parts(predictkit_server) == []


def test_a_refused_start_is_retried_and_a_failed_complete_names_the_file(
    calls: Calls, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_upload", Fault.status(429, retry_after=0))
    assert _fetch(calls.upload(b"abc").url) == b"abc"
    assert len(_ops(predictkit_server, "create_upload")) == 2
    predictkit_server.inject("complete_upload", Fault.status(404))
    with pytest.raises(UploadError, match=r"Uploading 3 bytes failed: .*404") as info:
        calls.upload(b"xyz")
    assert info.value.status_code == 404


def test_bad_files_are_refused_before_anything_is_sent(
    calls: Calls, predictkit_server: ReferenceServer, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.png"
    with pytest.raises(FileInputError, match=r"input\['x'\]\[0\] \(.*missing.png\)") as info:
        calls.create({"input": {"x": [missing], "y": b"fine"}}, model="demo/echo")
    assert "No such file" in str(info.value)
    with pytest.raises(FileInputError, match=r"Is a directory|not a regular file"):
        calls.resolve({"dir": tmp_path})
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # opening it would block until a writer comes: refused before that
    with pytest.raises(FileInputError, match=r"input\['f'\] \(.*fifo\) is not a regular file"):
        calls.resolve({"f": fifo})
    text = tmp_path / "t.txt"
    text.write_text("x")
    with text.open() as handle, pytest.raises(FileInputError, match="binary mode"):
        calls.resolve({"t": handle})
    read_end, write_end = os.pipe()
    with (
        open(read_end, "rb") as pipe,
        open(write_end, "wb"),
        pytest.raises(FileInputError, match="not seekable"),
    ):
        calls.resolve({"p": pipe})
    assert predictkit_server.requests == []


def test_bad_params_are_refused_before_any_upload(
    calls: Calls, predictkit_server: ReferenceServer
) -> None:
    with pytest.raises(ValueError, match="Invalid model"):
        calls.create({"input": {"x": b"data"}}, model="not a model")
    assert predictkit_server.requests == []


def test_an_input_without_files_is_passed_through(calls: Calls) -> None:
    data = {"a": [1, {"b": "c"}]}
    assert calls.resolve(data) is data


def test_cancelling_an_async_upload_stops_it_and_restores_the_file(
    predictkit_client: Client, predictkit_server: ReferenceServer, big: Path
) -> None:
    async def main() -> None:
        with big.open("rb") as stream:
            stream.seek(7)
            task: asyncio.Task[UploadedFile] | None = None

            def cancel(sent: int, total: int) -> None:  # as the first bytes go out
                assert task is not None
                task.cancel()

            task = asyncio.ensure_future(
                predictkit_client.uploads.async_upload(stream, on_progress=cancel)
            )
            with pytest.raises(asyncio.CancelledError):
                await task
            assert stream.tell() == 7

    asyncio.run(main())
    assert _ops(predictkit_server, "complete_upload") == []
