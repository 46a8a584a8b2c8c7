"""The README's "Command line" shell block runs as is: `predictkit serve` started the way the
README says, its two export lines pasted, then the block, in bash, in a folder with a
photo.png."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import READ_BOUND, read_lines

README = Path(__file__).parents[2] / "README.md"


def cli_block() -> str:
    text = README.read_text()
    section = text[text.index("## Command line") :]
    blocks: list[str] = re.findall(
        r"^```sh\n(.*?)^```$", section[: section.index("\n## ", 3)], re.M | re.S
    )
    [block] = blocks
    return block


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_command_line_tour_runs_against_predictkit_serve(tmp_path: Path) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WRIFTAI_")}
    env.pop("NO_COLOR", None)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    server = subprocess.Popen(
        ["predictkit", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert server.stdout is not None
        exports = read_lines(server.stdout.fileno(), 2)  # all it prints on stdout
        assert [e.split("=")[0] for e in exports] == [
            "export WRIFTAI_API_BASE_URL",
            "export WRIFTAI_ACCESS_TOKEN",
        ]
        (tmp_path / "photo.png").write_bytes(b"\x89PNG not really")
        done = subprocess.run(
            ["bash", "-euc", "".join(exports) + cli_block()],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        server.send_signal(signal.SIGINT)
        serve_err = server.communicate(timeout=READ_BOUND)[1].decode()
    assert done.returncode == 0, done.stderr
    assert server.returncode == 0 and "# stopped" in serve_err
    assert '"prompt": "a lake at dawn"' in done.stdout
    assert "a lake\n" in done.stdout  # the streamed chunks
    assert [p.read_bytes() for p in (tmp_path / "out").iterdir()] == [b"\x89PNG not really"]
    assert '"status": "succeeded"' in done.stdout
    assert "exit code 10" in done.stdout and "exit code 14" in done.stdout
    [pid] = re.findall(r"cancel requested for prediction (\S+)", done.stdout)
    assert re.search(rf"^{pid}\tdemo/echo:2\tcancelled\t", done.stdout, re.M)
