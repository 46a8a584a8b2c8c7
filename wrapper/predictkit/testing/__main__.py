"""``python -m predictkit.testing``: serve the reference API until Ctrl-C.

Prints, on stdout, lines a shell can paste (``export WRIFTAI_API_BASE_URL=...`` and, only when
it generated the token, ``export WRIFTAI_ACCESS_TOKEN=...``: a token given with ``--token`` is
never echoed); what to do next goes to stderr, so stdout stays paste-able.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from predictkit.testing._server import ReferenceServer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m predictkit.testing", description="Serve the WriftAI reference API locally."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: a free port)")
    parser.add_argument("--token", default=None, help="bearer token to accept (default: generated)")
    parser.add_argument(
        "--wait-ceiling", type=float, default=60.0, help="cap on Prefer: wait=N, seconds"
    )
    parser.add_argument(
        "--allow-remote-webhooks",
        action="store_true",
        help="also deliver webhooks to addresses other than loopback (default: loopback only)",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    server = ReferenceServer(
        host=args.host,
        port=args.port,
        token=args.token,
        wait_ceiling=args.wait_ceiling,
        allow_remote_webhooks=args.allow_remote_webhooks,
    )
    with server:
        print(f"export WRIFTAI_API_BASE_URL={shlex.quote(server.url)}", flush=True)
        if args.token is None:
            print(f"export WRIFTAI_ACCESS_TOKEN={shlex.quote(server.token)}", flush=True)
        print(
            f"WriftAI reference API at {server.url}: paste the export lines above into a shell "
            "(predictkit.Client() and curl then use it). Press Ctrl-C to stop.",
            file=sys.stderr,
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
