"""Fixtures for the CLI tests: the CLI in-process (click's CliRunner: stdout and stderr are
pipes, so output is the non-terminal kind), and as a subprocess on pipes or on a pty (the
terminal kind), always against the reference server."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from predictkit.cli._commands import cli
from predictkit.testing import ReferenceServer

READ_BOUND = 60.0
"""Longest a test waits for the CLI to say anything: a bound, never a synchronisation."""

# Variables that would make rich (or predictkit) behave differently from a plain environment.
_AMBIENT = ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")


@dataclass
class Ran:
    code: int
    out: str
    err: str


Invoke = Callable[..., Ran]


def cli_env(server: ReferenceServer, **extra: str) -> dict[str, str]:
    """The environment a user would have after pasting `predictkit serve`'s lines."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("WRIFTAI_") and k not in _AMBIENT
    }
    env.update(WRIFTAI_ACCESS_TOKEN=server.token, WRIFTAI_API_BASE_URL=server.url, **extra)
    return env


@pytest.fixture
def invoke(predictkit_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """``invoke("run", "demo/echo", ...)``: the CLI in this process, against the server."""
    for name in _AMBIENT:
        monkeypatch.delenv(name, raising=False)

    def run(
        *args: str, env: Mapping[str, str | None] | None = None, input: str | None = None
    ) -> Ran:
        base: dict[str, str | None] = {
            "WRIFTAI_ACCESS_TOKEN": predictkit_server.token,
            "WRIFTAI_API_BASE_URL": predictkit_server.url,
        }
        result = CliRunner().invoke(cli, list(args), input=input, env={**base, **(env or {})})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


def read_lines(fd: int, count: int) -> list[str]:
    """At least the first ``count`` lines written to a pipe (all that had arrived), read
    unbuffered so select sees what is left; at most READ_BOUND for each read."""
    data = b""
    for _ in range(10_000):
        if data.count(b"\n") >= count:
            break
        ready, _, _ = select.select([fd], [], [], READ_BOUND)
        assert ready, f"the CLI said nothing more for {READ_BOUND} s after {data!r}"
        chunk = os.read(fd, 65536)
        assert chunk, f"the CLI closed the pipe after {data!r}"
        data += chunk
    return data.decode().splitlines(keepends=True)


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "predictkit", *args]


def run_piped(env: Mapping[str, str], *args: str) -> Ran:
    """The CLI as a subprocess writing to pipes (not a terminal)."""
    done = subprocess.run(
        cli_command(*args), env=env, capture_output=True, text=True, check=False, timeout=READ_BOUND
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def run_in_pty(env: Mapping[str, str], *args: str, columns: int = 160) -> tuple[int, str]:
    """The CLI as a subprocess whose stdout and stderr are a terminal: (exit code, screen)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = subprocess.Popen(
        cli_command(*args),
        env={**env, "TERM": "xterm-256color"},
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    try:
        for _ in range(100_000):  # reads until the child closes the terminal
            ready, _, _ = select.select([master], [], [], READ_BOUND)
            assert ready, f"the CLI said nothing for {READ_BOUND} s: {b''.join(chunks)!r}"
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        else:
            pytest.fail("the CLI never closed its terminal")
        code = proc.wait(timeout=READ_BOUND)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
