"""The command line (`python -m predictkit.testing`) and the pytest fixture."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
from predictkit.testing import ReferenceServer

URL_LINE = re.compile(r"(http://127\.0\.0\.1:\d+/v1)$")


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "predictkit.testing", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=15)
    assert process.returncode == 0


def test_cli_prints_its_url_and_serves() -> None:
    process = _serve()
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        match = URL_LINE.search(first)
        assert match, first
        token_line = process.stdout.readline().strip()
        assert token_line.startswith("export WRIFTAI_ACCESS_TOKEN=pk-test-")
        token = token_line.removeprefix("export WRIFTAI_ACCESS_TOKEN=")
        with httpx.Client(base_url=match[1], timeout=10) as client:
            assert client.get("/models").status_code == 200
            me = client.get("/user", headers={"authorization": f"Bearer {token}"})
            assert me.json()["name"] == "demo"
    finally:
        _stop(process)


def test_cli_never_echoes_a_given_token() -> None:
    process = _serve("--token", "my-own-token", "--wait-ceiling", "1", "--allow-remote-webhooks")
    try:
        assert process.stdout is not None
        assert URL_LINE.search(process.stdout.readline().strip())
        assert process.stderr is not None
        assert "Press Ctrl-C" in process.stderr.readline()  # printed after every stdout line
        process.terminate()
        rest, _ = process.communicate(timeout=15)
        assert rest == ""  # nothing else on stdout: no token line
    finally:
        _stop(process)


def test_fixture_is_shared_and_reset(predictkit_server: ReferenceServer) -> None:
    assert predictkit_server.requests == []
    assert predictkit_server.prediction_count() == 0
    assert predictkit_server.url.startswith("http://127.0.0.1:")
    assert not predictkit_server.url.endswith("/")


def test_fixture_loads_through_the_entry_point(tmp_path: Path) -> None:
    test_file = tmp_path / "test_uses_fixture.py"
    test_file.write_text(
        "import httpx\n\n"
        "def test_one(predictkit_server):\n"
        "    r = httpx.get(predictkit_server.url + '/models', timeout=10)\n"
        "    assert r.status_code == 200\n\n"
        "def test_two(predictkit_server):\n"
        "    assert predictkit_server.requests == []\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_stop_leaves_no_thread_and_frees_the_port() -> None:
    before = {t.name for t in threading.enumerate()}
    server = ReferenceServer().start()
    port = int(server.url.split(":")[2].split("/")[0])
    with httpx.Client(timeout=5) as client:
        assert client.get(server.url + "/models").status_code == 200
    server.stop()
    assert {t.name for t in threading.enumerate()} <= before
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    server.stop()  # stopping twice is harmless
