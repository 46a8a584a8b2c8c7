"""The reference server's upload parts: exact part bytes, the URL signature, per-part faults."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from predictkit.testing import Fault, ReferenceServer

PART = 256 * 1024


def start(client: httpx.Client, size: int) -> dict[str, Any]:
    response = client.post("/uploads", json={"size": size, "mime_type": "text/plain"})
    assert response.status_code == 201, response.text
    started: dict[str, Any] = response.json()
    return started


def test_parts_must_be_exact_and_signed(client: httpx.Client) -> None:
    data = bytes(range(256)) * 1028 + b"tail"  # two parts: one full, one of 1028*256+4-PART
    started = start(client, len(data))
    first, second = started["urls"]
    assert "X-Amz-Signature=" in first
    with httpx.Client() as storage:
        assert storage.put(second, content=data[:10]).status_code == 400  # wrong length
        forged = first.split("?")[0] + "?X-Amz-Signature=forged"
        refused = storage.put(forged, content=data[:PART])
        assert refused.status_code == 403
        assert b"<SignatureProvided>forged<" in refused.content  # as S3 echoes it
        unsigned = storage.put(first.split("?")[0], content=data[:PART])
        assert unsigned.status_code == 403
        etags = [
            storage.put(u, content=c).headers["etag"]
            for u, c in [(first, data[:PART]), (second, data[PART:])]
        ]
    done = client.post(f"/uploads/{started['id']}/complete", json={"etags": etags})
    assert done.status_code == 200
    assert httpx.get(done.json()["download_url"]).content == data


def test_faults_target_one_part_then_pass(server: ReferenceServer, client: httpx.Client) -> None:
    started = start(client, 2 * PART)
    first, second = started["urls"]
    server.inject_part(Fault.status(503, retry_after=1), index=1, times=2)
    with httpx.Client() as storage:
        assert storage.put(first, content=bytes(PART)).status_code == 200  # part 0: untouched
        failed = storage.put(second, content=bytes(PART))
        assert (failed.status_code, failed.headers["retry-after"]) == (503, "1")
        assert storage.put(second, content=bytes(PART)).status_code == 503
        assert storage.put(second, content=bytes(PART)).status_code == 200


def test_a_fault_without_index_takes_the_next_part(
    server: ReferenceServer, client: httpx.Client
) -> None:
    started = start(client, 3)
    server.inject_part(Fault.html(502))
    server.inject_part(Fault.drop())
    with httpx.Client() as storage:
        page = storage.put(started["urls"][0], content=b"abc")
        assert page.status_code == 502 and page.headers["content-type"].startswith("text/html")
        with pytest.raises(httpx.RemoteProtocolError):
            storage.put(started["urls"][0], content=b"abc")
        assert storage.put(started["urls"][0], content=b"abc").status_code == 200
    parts = [r for r in server.requests if r.path.startswith("/uploads/")]
    assert [r.status_code for r in parts] == [502, None, 200]


@pytest.mark.parametrize(
    ("fault", "index"),
    [(Fault.truncated(), 0), (Fault.cut_stream(1), None), (Fault.drop(), -1), (Fault.drop(), True)],
)
def test_faults_that_cannot_apply_to_a_part_are_refused(
    server: ReferenceServer, fault: Fault, index: Any
) -> None:
    with pytest.raises(ValueError, match=r"does not apply to part uploads|part number >= 0"):
        server.inject_part(fault, index=index)
