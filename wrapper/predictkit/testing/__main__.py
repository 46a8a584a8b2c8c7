"""``python -m predictkit.testing``: serve the reference API until Ctrl-C.

Prints the base URL it bound, and the access token only when it generated one (a token given
with ``--token`` is never echoed).
"""

from __future__ import annotations

import argparse
import contextlib
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
        print(f"WriftAI reference API: {server.url}", flush=True)
        if args.token is None:
            print(f"Access token: {server.token}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
