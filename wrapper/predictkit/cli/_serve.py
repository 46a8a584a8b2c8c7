"""``predictkit serve``: the reference server (``predictkit.testing``, extra ``testing``) on
127.0.0.1, announced as lines a POSIX shell can paste (or ``eval``)."""

from __future__ import annotations

import contextlib
import shlex
import signal
import threading
from types import FrameType

import click

from predictkit.cli._app import State, cli, pass_state
from predictkit.cli._errors import CliError


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
@pass_state
def serve(state: State, host: str, port: int) -> None:
    """Serve the local reference API until Ctrl-C, printing the export lines to use it.

    The token is generated for this run (the global --token is not used here), so printing it
    reveals nothing else.
    """
    try:
        from predictkit.testing import ReferenceServer  # noqa: PLC0415 - the testing extra
    except ImportError as exc:
        hint = "pip install 'predictkit[testing]'"
        raise CliError(f"serve needs the 'testing' extra: {hint} ({exc})") from exc
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        with ReferenceServer(host=host, port=port) as server:
            state.output.text(f"export WRIFTAI_API_BASE_URL={shlex.quote(server.url)}")
            state.output.text(f"export WRIFTAI_ACCESS_TOKEN={shlex.quote(server.token)}")
            state.output.note("# reference API running; press Ctrl-C to stop")
            with contextlib.suppress(KeyboardInterrupt):
                stop.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    state.output.note("# stopped")
