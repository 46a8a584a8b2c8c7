"""Output downloads (never leaking the token) and cancel-on-interrupt runs."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from predictkit import Client, UnsafeDownloadError, WaitOptions, WaitTimeoutError
from predictkit.testing import ReferenceServer

from .conftest import Api


def _file_url(client: Client, text: str) -> str:
    p = client.predictions.create({"input": {"output_file": text}}, model="demo/echo", wait=True)
    assert isinstance(p.output, str)
    return p.output


def test_download_to_a_path_and_to_a_stream(client: Client, tmp_path: Path) -> None:
    url = _file_url(client, "hello file\n" * 1000)
    target = tmp_path / "out.txt"
    assert client.predictions.download_output(url, target) == 11000
    assert target.read_text() == "hello file\n" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary left behind
    buffer = io.BytesIO()
    assert asyncio.run(client.predictions.async_download_output(url, buffer)) == 11000
    assert buffer.getvalue() == target.read_bytes()


def test_download_never_sends_the_token_to_another_origin(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    with (
        ReferenceServer() as other,
        Client(access_token=other.token, api_base_url=other.url) as other_client,
    ):
        foreign = _file_url(other_client, "elsewhere")
        before = len(other.requests)
        assert client.predictions.download_output(foreign, io.BytesIO()) == len("elsewhere")
        assert [r.headers.get("authorization") for r in other.requests[before:]] == [None]
    own = _file_url(client, "home")
    before = len(predictkit_server.requests)
    client.predictions.download_output(own, io.BytesIO())
    assert [r.headers.get("authorization") for r in predictkit_server.requests[before:]] == [
        "<redacted>"
    ]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://host/x", "http://example.com/out.png", "not a url"]
)
def test_unsafe_download_urls_are_refused(client: Client, url: str) -> None:
    with pytest.raises(UnsafeDownloadError):
        client.predictions.download_output(url, io.BytesIO())


def test_failed_download_leaves_no_file(
    client: Client, tmp_path: Path, predictkit_server: ReferenceServer
) -> None:
    url = _file_url(client, "x")
    with pytest.raises(Exception, match="404"):
        client.predictions.download_output(url + "-missing", tmp_path / "out.bin")
    assert list(tmp_path.iterdir()) == []


def test_run_cancels_when_interrupted(api: Api) -> None:
    client = api.client
    holder: list[str] = []
    with (
        pytest.raises(KeyboardInterrupt),
        client.predictions.run({"input": {"sleep": 30}}, model="demo/echo") as p,
    ):
        holder.append(p.id)
        raise KeyboardInterrupt
    assert client.predictions.wait(holder[0], WaitOptions(timeout=10)).status == "cancelled"


def test_run_cancels_on_a_wait_deadline(client: Client) -> None:
    holder: list[str] = []
    with (
        pytest.raises(WaitTimeoutError),
        client.predictions.run({"input": {"sleep": 30}}, model="demo/echo") as p,
    ):
        holder.append(p.id)
        p.wait(WaitOptions(timeout=0.2))
    assert client.predictions.wait(holder[0], WaitOptions(timeout=10)).status == "cancelled"


def test_run_leaves_a_finished_prediction_alone(client: Client) -> None:
    with client.predictions.run({"input": {"v": 1}}, model="demo/echo") as p:
        p.wait()
    assert p.status == "succeeded" and p.output == {"v": 1}


def test_async_run_cancels_when_the_task_is_cancelled(client: Client) -> None:
    async def main() -> str:
        started = asyncio.Event()
        ids: list[str] = []

        async def job() -> None:
            async with client.predictions.async_run(
                {"input": {"sleep": 30}}, model="demo/echo"
            ) as p:
                ids.append(p.id)
                started.set()
                await p.async_wait()

        task = asyncio.create_task(job())
        await asyncio.wait_for(started.wait(), 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        final = await client.predictions.async_wait(ids[0], WaitOptions(timeout=10))
        return final.status

    assert asyncio.run(main()) == "cancelled"


def test_prediction_conveniences(client: Client) -> None:
    p = client.predictions.create({"input": {"sleep": 0.1}}, model="demo/echo")
    assert p.reload() is p
    assert p.wait() is p and p.status == "succeeded"
    slow = client.predictions.create({"input": {"sleep": 30}}, model="demo/echo")
    slow.cancel()
    assert slow.wait(WaitOptions(timeout=10)).status == "cancelled"
