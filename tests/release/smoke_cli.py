"""A user's shell session, run by `nox -s build` against the installed wheel (extras `testing`
and `cli`), never the checkout: `predictkit serve`, its export lines pasted, `predictkit run`,
`python -m predictkit`. Exits non-zero on any difference. Standard library only."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

BOUND = 60.0  # seconds the CLI may stay silent before the smoke test gives up
BIN = Path(sys.executable).parent


def first_lines(fd: int, count: int) -> list[str]:
    data = b""
    for _ in range(1000):
        if data.count(b"\n") >= count:
            return data.decode().splitlines()[:count]
        ready, _, _ = select.select([fd], [], [], BOUND)
        chunk = os.read(fd, 4096) if ready else b""
        if not chunk:
            raise SystemExit(f"predictkit serve stopped talking after {data!r}")
        data += chunk
    raise SystemExit("predictkit serve printed too much")


def main() -> None:
    check = "import sys, httpx; m = set(sys.modules); import predictkit; "
    check += "assert not [n for n in set(sys.modules) - m if n.startswith('predictkit.cli')]"
    subprocess.run([sys.executable, "-c", check], check=True, timeout=BOUND)

    server = subprocess.Popen([BIN / "predictkit", "serve"], stdout=subprocess.PIPE)
    try:
        assert server.stdout is not None
        exports = first_lines(server.stdout.fileno(), 2)
        env = {k: v for k, v in os.environ.items() if not k.startswith("WRIFTAI_")}
        for line in exports:
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'")
        assert set(env) >= {"WRIFTAI_API_BASE_URL", "WRIFTAI_ACCESS_TOKEN"}, exports
        run = subprocess.run(
            [BIN / "predictkit", "run", "demo/echo", "-i", "prompt=hi", "--json"],
            env=env, capture_output=True, text=True, check=False, timeout=BOUND,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        prediction = json.loads(run.stdout)
        assert prediction["status"] == "succeeded", prediction
        assert prediction["output"] == {"prompt": "hi"}, prediction
        failed = subprocess.run(
            [sys.executable, "-m", "predictkit", "run", "demo/echo", "-i", "fail=boom"],
            env=env, capture_output=True, text=True, check=False, timeout=BOUND,
        )  # fmt: skip
        assert failed.returncode == 13, failed
        assert failed.stderr.splitlines()[-1].endswith("failed: boom"), failed.stderr
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=BOUND)
    assert server.returncode == 0, server.returncode
    print(f"predictkit {prediction['id']}: CLI smoke test passed")


if __name__ == "__main__":
    main()
