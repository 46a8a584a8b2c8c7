"""Uploads against mocked transports: what the reference server never does (a part answered
without an ETag, a start answer that does not cover the file, a file shrinking mid-upload), and
the bound on parts in flight."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from predictkit import Client, FileInputError, UploadedFile, UploadError
from predictkit.resources.uploads import Uploads

Handler = Callable[[httpx.Request], httpx.Response]


def storage(
    part_size: int, *, etag: bool = True, urls: int | None = None, on_start: Callable[[], object]
) -> tuple[Handler, list[httpx.Request]]:
    """A fake API + storage: starts hand out ``urls`` part URLs (default: enough)."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/uploads":
            size = json.loads(request.content)["size"]
            on_start()
            count = urls if urls is not None else max(1, -(-size // part_size))
            parts = [f"https://store.test/u/{i}?sig=s3cr3t" for i in range(count)]
            return httpx.Response(201, json={"id": "up1", "urls": parts, "part_size": part_size})
        if request.url.host == "store.test":
            request.read()
            return httpx.Response(200, headers={"etag": f'"e{request.url.path}"'} if etag else {})
        return httpx.Response(200, json={"download_url": "https://files.test/up1"})

    return handle, seen


def client_for(handler: Handler) -> Client:
    transport = httpx.MockTransport(handler)
    return Client(
        access_token="t",
        api_base_url="https://api.test/v1",
        transport=transport,
        async_transport=transport,
    )


def nothing() -> None:
    pass


def test_a_part_without_an_etag_is_an_error_naming_it() -> None:
    handler, _ = storage(4, etag=False, on_start=nothing)
    with client_for(handler) as client, pytest.raises(UploadError, match="without an ETag") as info:
        client.uploads.upload(b"0123456789")
    assert info.value.part is not None and "s3cr3t" not in str(info.value)


def test_a_start_answer_that_does_not_cover_the_file_sends_no_part() -> None:
    handler, seen = storage(4, urls=2, on_start=nothing)  # 10 bytes need 3 parts of 4
    with client_for(handler) as client, pytest.raises(UploadError, match="cannot be used") as info:
        asyncio.run(client.uploads.async_upload(b"0123456789"))
    assert "2 part URLs for 10 bytes" in str(info.value)
    assert [r.url.host for r in seen] == ["api.test"]


def test_a_file_that_shrinks_during_the_upload_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "growing.log"
    path.write_bytes(b"x" * 10)
    handler, _ = storage(4, on_start=lambda: path.write_bytes(b"x" * 5))
    with client_for(handler) as client, pytest.raises(FileInputError, match="changed while"):
        client.uploads.upload(path)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_parts_in_flight_are_bounded_by_the_pool(mode: str) -> None:
    workers = 3
    in_flight = 0
    most = 0
    lock = threading.Lock()
    together = threading.Barrier(workers, timeout=30)  # proves `workers` parts run at once
    base, _ = storage(2, on_start=nothing)

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        if request.url.host != "store.test":
            return base(request)
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        if request.url.path in ("/u/0", "/u/1", "/u/2"):
            together.wait()
        with lock:
            in_flight -= 1
        return base(request)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        return await asyncio.to_thread(handler, request)

    data = bytes(range(40))  # 20 parts of 2 bytes
    if mode == "sync":
        with client_for(handler) as client:
            Uploads(client._api, max_concurrency=workers).upload(data)
    else:
        transport = httpx.MockTransport(async_handler)
        with Client(
            access_token="t", api_base_url="https://api.test/v1", async_transport=transport
        ) as client:
            asyncio.run(Uploads(client._api, max_concurrency=workers).async_upload(data))
    assert most == workers


def test_a_failed_part_stops_every_worker() -> None:
    """Whichever worker fails, the others stop after their current part (none takes more)."""
    base, seen = storage(2, on_start=nothing)
    together = threading.Barrier(2, timeout=30)  # both workers hold a part when one fails

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host != "store.test":
            return base(request)
        if request.url.path in ("/u/0", "/u/1"):
            together.wait()
        if threading.current_thread().name.endswith("_1"):  # the second worker's thread
            return httpx.Response(403)
        return base(request)

    with client_for(handler) as client, pytest.raises(UploadError, match="403"):
        Uploads(client._api, max_concurrency=2).upload(bytes(40))  # 20 parts
    puts = [r for r in seen if r.url.host == "store.test"]
    assert len(puts) <= 3, [r.url.path for r in puts]


def test_the_download_url_repr_hides_its_query() -> None:
    uploaded = UploadedFile("https://files.test/f?X-Amz-Signature=s3cr3t", "id", 1, "text/plain")
    assert "s3cr3t" not in repr(uploaded) and "files.test/f" in repr(uploaded)
    assert uploaded.url.endswith("s3cr3t")  # the value itself is intact


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_each_part_is_sent_and_logged_by_the_shared_sender(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    handler, seen = storage(4, on_start=nothing)
    with caplog.at_level("DEBUG", logger="predictkit"), client_for(handler) as client:
        if mode == "sync":
            client.uploads.upload(b"0123456789")
        else:
            asyncio.run(client.uploads.async_upload(b"0123456789"))
    parts = sorted(
        m.split(" (")[0] for m in caplog.messages if m.startswith("PUT ")
    )  # the Sender's line for each attempt, as for every other call
    assert parts == ["PUT /u/0 -> 200", "PUT /u/1 -> 200", "PUT /u/2 -> 200"]
    assert sorted(r.content for r in seen if r.url.host == "store.test") == [
        b"0123",
        b"4567",
        b"89",
    ]
    assert not any("s3cr3t" in m for m in caplog.messages)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_part_answered_with_a_redirect_is_an_error_not_an_upload(mode: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "store.test":  # a redirect with an ETag: never taken as stored
            request.read()
            headers = {"location": "https://elsewhere.test/u", "etag": '"e"'}
            return httpx.Response(307, headers=headers)
        return base(request)

    base, seen = storage(4, on_start=nothing)
    with client_for(handler) as client, pytest.raises(UploadError) as info:
        if mode == "sync":
            client.uploads.upload(b"0123456789")
        else:
            asyncio.run(client.uploads.async_upload(b"0123456789"))
    assert info.value.status_code == 307
    assert "s3cr3t" not in str(info.value)
    assert [r.url.path for r in seen] == ["/v1/uploads"]  # started; never completed
