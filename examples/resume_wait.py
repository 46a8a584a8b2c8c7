"""Hand a running prediction to another process and resume the wait there.

    python examples/resume_wait.py          # starts one, then resumes it in a child process
    python examples/resume_wait.py TOKEN    # resume from a saved continuation token

`poller.continuation_token()` is all another process (a worker, a cron job, the same service
after a restart) needs: `client.predictions.poller(token)` picks the wait up where it was.
Reads WRIFTAI_ACCESS_TOKEN (and WRIFTAI_API_BASE_URL if set).
"""

from __future__ import annotations

import subprocess
import sys

from predictkit import Client

MODEL = "demo/echo"


def start(client: Client) -> str:
    """Start a prediction that takes a while and return its continuation token."""
    p = client.predictions.create({"input": {"sleep": 0.5, "prompt": "later"}}, model=MODEL)
    token = client.predictions.poller(p.id).continuation_token()
    print(f"started {p.id}; continuation token: {token}")
    return token


def resume(client: Client, token: str) -> None:
    """Wait (at most 60 s) for the prediction behind `token` and print how it ended."""
    poller = client.predictions.poller(token)
    p = poller.result(timeout=60)
    print(f"resumed {p.id}: {p.status} {p.output}")


def main() -> None:
    with Client() as client:
        if len(sys.argv) > 1:
            resume(client, sys.argv[1])
            return
        token = start(client)
    # Another process: it shares nothing with this one but the token (and the environment).
    subprocess.run([sys.executable, __file__, token], check=True, timeout=120)  # noqa: S603


if __name__ == "__main__":
    main()
