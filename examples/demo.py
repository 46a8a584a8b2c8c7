"""A tour of predictkit against the embedded reference server: nothing leaves this machine.

    python -m nox -s demo        (or: pip install -e '.[testing]' && python examples/demo.py)

create -> wait -> list -> stream -> cancel -> errors, sync and async.
"""

from __future__ import annotations

import asyncio

from predictkit import (
    Client,
    ModelRef,
    PredictionWithIO,
    ValidationError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit.testing import ReferenceServer


def show(title: str) -> None:
    print(f"\n== {title}")


def main() -> None:
    with (
        ReferenceServer() as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        print(f"reference server listening on {server.url}")

        show("create and wait (the server holds the response: one request)")
        p = client.predictions.create({"input": {"prompt": "hello"}}, model="demo/echo", wait=True)
        ref = f"{p.model.owner}/{p.model.name}:{p.model.version_number}"
        print(f"{p.id}  {ref}  {p.status}  output={p.output}")

        show("wait on a running prediction, watching status changes")
        slow = client.predictions.create(
            {"input": {"sleep": 0.3, "prompt": "take your time"}},
            model=ModelRef.parse("demo/echo:1"),
        )

        def on_poll(pred: PredictionWithIO) -> None:
            print(f"  status -> {pred.status}")

        done = client.predictions.wait(slow.id, WaitOptions(on_poll=on_poll, timeout=30))
        print(f"finished: {done.status}, output={done.output}")

        show("a failing model")
        failed = client.predictions.create(
            {"input": {"fail": "CUDA out of memory"}}, model="demo/echo", wait=True
        )
        assert failed.error is not None
        print(f"{failed.status}: {failed.error.source} error: {failed.error.message}")

        show("list (newest first, paged lazily)")
        for item in client.predictions.list(limit=5):
            print(f"  {item.id}  {item.status:<10} {item.model.name}:{item.model.version_number}")
        page = client.predictions.list({"page_size": 5}, statuses=["succeeded"])
        print(
            f"first page of succeeded: {len(page.items)} items, next cursor: {page.next_cursor!r}"
        )

        show("stream output events as they are produced")
        streaming = client.predictions.create(
            {"input": {"stream": ["Once ", "upon ", "a ", "time."], "sleep": 0.4}},
            model="demo/echo",
        )
        with client.predictions.stream(streaming.id) as events:
            for event in events:
                data = f"(prediction {event.data['id']})" if event.event == "init" else event.data
                print(f"  #{event.id} {event.event:<6} {data}")

        show("cancel")
        long_job = client.predictions.create({"input": {"sleep": 60}}, model="demo/echo")
        client.predictions.cancel(long_job.id)
        print(
            f"{long_job.id}: {client.predictions.wait(long_job.id, WaitOptions(timeout=10)).status}"
        )

        show("a deadline, cancelling what is left running")
        try:
            client.predictions.wait(
                client.predictions.create({"input": {"sleep": 60}}, model="demo/echo").id,
                WaitOptions(timeout=0.5),
                cancel_on_timeout=True,
            )
        except WaitTimeoutError as exc:
            print(f"WaitTimeoutError: {exc}")

        show("errors say what to do, before or after sending")
        try:
            client.predictions.create({"input": {}}, model="demo/echo:latest")
        except ValueError as exc:
            print(f"ValueError (nothing sent): {exc}")
        try:
            client.predictions.create(
                {"input": {"prompt": 42}, "validate_input": True}, model="demo/validated"
            )
        except ValidationError as exc:
            print(f"ValidationError {exc.status_code}: {[(d.loc, d.msg) for d in exc.details]}")

        show("the same, async")

        async def run_async() -> None:
            results = await asyncio.gather(
                *(
                    client.predictions.async_create(
                        {"input": {"n": n}}, model="demo/echo", wait=True
                    )
                    for n in range(3)
                )
            )
            print("  " + ", ".join(f"{r.output} {r.status}" for r in results))

        asyncio.run(run_async())
        print(
            f"\n{server.prediction_count()} predictions made; the server shuts down with the block."
        )


if __name__ == "__main__":
    main()
