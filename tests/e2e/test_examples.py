"""Every script in examples/ runs against the reference server as a user would run it (issue 12).

Each runs in a fresh interpreter with WRIFTAI_ACCESS_TOKEN / WRIFTAI_API_BASE_URL pointing at
the session's ReferenceServer (demo.py starts its own), and its output is checked. A new script
fails test_every_example_is_run until it gets an entry in EXPECTED.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from predictkit.testing import ReferenceServer

EXAMPLES = Path(__file__).parents[2] / "examples"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

EXPECTED: dict[str, list[str]] = {
    "demo.py": [r"predictions made; the server shuts down", r"WaitTimeoutError: "],
    "sync.py": [
        rf"^{UUID} succeeded \{{'prompt': 'a lake at dawn'\}}$",
        r"^read back: succeeded, model demo/echo$",
    ],
    "async_fanout.py": [
        *(rf"^{UUID} succeeded \{{'n': {n}\}}$" for n in range(10)),
        r"^10/10 succeeded$",
    ],
    "resume_wait.py": [
        rf"^started ({UUID}); continuation token: \1$",
        rf"^resumed {UUID}: succeeded \{{'sleep': 0.5, 'prompt': 'later'\}}$",
    ],
    "webhook_receiver.py": [
        *(rf"^verified delivery: {UUID} {s}$" for s in ("pending", "started", "succeeded")),
    ],
    "file_inputs.py": [
        r"^  uploaded (\d+)/\1 bytes$",
        r"^uploaded once: True$",
        r"^succeeded: image sent as http://127\.0\.0\.1:\d+/files/\.\.\.$",
        r"^succeeded: an open file, sent as a URL too: True$",
        r"^downloaded 14 bytes: 'a lake at dawn'$",
    ],
}


def test_every_example_is_run() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_example_runs_against_the_reference_server(
    script: str, predictkit_server: ReferenceServer
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WRIFTAI_")}
    env |= {"WRIFTAI_ACCESS_TOKEN": predictkit_server.token}
    env |= {"WRIFTAI_API_BASE_URL": predictkit_server.url}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"
    for pattern in EXPECTED[script]:
        assert re.search(pattern, result.stdout, re.MULTILINE), f"{pattern}\n{result.stdout}"
    assert predictkit_server.token not in result.stdout + result.stderr
    if script != "demo.py":
        assert predictkit_server.prediction_count() > 0  # it used the server it was given
