"""Memory while uploading a large file: it must stream from disk, not load into memory.

    python benchmarks/upload_memory.py [--size-mb 1024] [--part-mb 16]

Writes a sparse file of the given size (no disk space used), starts a sink in a subprocess
(the API's upload routes plus storage that hashes each part for its ETag and throws the bytes
away; the reference server keeps uploads in memory and caps them at 64 MiB, so it cannot take a
1 GB file), uploads the file with ``client.uploads.upload`` (sync and async), and prints the
peak Python allocations (tracemalloc) and the process's peak RSS. The point is that neither
grows with the file: compare ``--size-mb 64`` with ``--size-mb 1024``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import http.server
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from predictkit import Client

CHUNK = 1 << 20


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    part_size = 16 << 20

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in {"content-type": "application/json", **(headers or {})}.items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drain(self) -> str:
        """Read the body in chunks; its MD5 hex digest (S3's ETag for a part)."""
        left = int(self.headers.get("content-length", "0"))
        digest = hashlib.md5(usedforsecurity=False)
        while left:
            chunk = self.rfile.read(min(CHUNK, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
        return digest.hexdigest()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
        host = f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
        if self.path == "/v1/uploads":
            size = body["size"]
            count = max(1, -(-size // self.part_size))
            urls = [f"{host}/parts/{i}?X-Amz-Signature=s" for i in range(count)]
            answer = {"id": "big", "urls": urls, "part_size": min(self.part_size, size)}
            self._answer(201, json.dumps(answer).encode())
        else:
            self._answer(200, json.dumps({"download_url": f"{host}/files/big"}).encode())

    def do_PUT(self) -> None:
        self._answer(200, b"", {"etag": f'"{self._drain()}"'})


def serve(part_mb: int) -> None:
    Sink.part_size = part_mb << 20
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--part-mb", type=int, default=16)
    parser.add_argument("--sink", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        serve(args.part_mb)
        return
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", "--part-mb", str(args.part_mb)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sink.stdout is not None
        port = int(sink.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "big.bin"
            with path.open("wb") as f:
                f.truncate(args.size_mb << 20)  # sparse: no disk space, reads as zeros
            size = path.stat().st_size
            with Client(access_token="t", api_base_url=f"http://127.0.0.1:{port}/v1") as client:
                client.uploads.upload(b"warm-up")  # imports, connections, thread pool
                print(f"file {size / 2**20:.0f} MiB in parts of {args.part_mb} MiB")
                print(f"peak RSS before: {rss_mb():.1f} MiB")
                for mode in ("sync", "async"):
                    tracemalloc.start()
                    started = time.perf_counter()
                    if mode == "sync":
                        done = client.uploads.upload(path)
                    else:
                        done = asyncio.run(client.uploads.async_upload(path))
                    took = time.perf_counter() - started
                    _, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    assert done.size == size
                    print(
                        f"{mode:5}: {took:6.1f} s, tracemalloc peak {peak / 2**20:.2f} MiB, "
                        f"peak RSS so far {rss_mb():.1f} MiB"
                    )
    finally:
        sink.terminate()
        sink.wait()


if __name__ == "__main__":
    main()
