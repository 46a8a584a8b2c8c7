"""Create a prediction, wait for it, read it back: the synchronous client.

    python -m predictkit.testing --port 0   # paste its two export lines, or use your token
    python examples/sync.py

Reads WRIFTAI_ACCESS_TOKEN (and WRIFTAI_API_BASE_URL if set). `demo/echo` is the reference
server's model, whose output is its input; against the service, name one of yours.
"""

from __future__ import annotations

from predictkit import Client, WaitOptions

MODEL = "demo/echo"


def main() -> None:
    with Client() as client:
        # wait=True: the server holds the response until the prediction ends (one request for a
        # short one); the client waits on, at most 60 s, if it is still running.
        p = client.predictions.create(
            {"input": {"prompt": "a lake at dawn"}},
            model=MODEL,
            wait=True,
            wait_options=WaitOptions(timeout=60),
        )
        print(f"{p.id} {p.status} {p.output}")
        if p.error is not None:
            print(f"failed ({p.error.source}): {p.error.message}")

        again = client.predictions.get(p.id)
        print(f"read back: {again.status}, model {again.model.owner}/{again.model.name}")


if __name__ == "__main__":
    main()
