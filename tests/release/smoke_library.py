"""A user's script, run by `nox -s build` against the installed wheel, never the checkout.

It runs twice there: under `mypy --strict` from a directory outside the repository, in a fresh
venv with only the wheel (and mypy) installed, so every `assert_type` proves the installed
packages carry real types (without a py.typed marker in predictkit_api they would all be Any and
mypy fails); then with `python` on every tested Python, against the reference server.
"""

from __future__ import annotations

import datetime
from typing import assert_type

import predictkit
from predictkit import (
    Client,
    ListedPrediction,
    Page,
    PredictionStreamEvent,
    PredictionWithIO,
    TaskError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit.testing import ReferenceServer
from predictkit_api.models.prediction_status import PredictionStatus
from predictkit_api.models.prediction_stream_event_type import PredictionStreamEventType


def main() -> None:
    with (
        ReferenceServer() as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        # A prediction.
        p = client.predictions.create({"input": {"text": "hi"}}, model="demo/echo", wait=True)
        assert_type(p, PredictionWithIO)
        assert_type(p.id, str)
        assert_type(p.status, PredictionStatus)
        assert_type(p.created_at, datetime.datetime)
        assert_type(p.error, TaskError | None)
        assert p.status == "succeeded" and p.output == {"text": "hi"}, p

        # A page item.
        page = client.predictions.list(limit=1)
        assert_type(page, Page[ListedPrediction])
        item = next(iter(page))
        assert_type(item.id, str)
        assert_type(item.status, PredictionStatus)
        assert item.id == p.id, (item, p)

        # A stream event.
        streamed = client.predictions.create(
            {"input": {"stream": ["a", "b"]}, "stream": True}, model="demo/echo"
        )
        events = list(client.predictions.stream(streamed.id))
        event = events[-1]
        assert_type(event, PredictionStreamEvent)
        assert_type(event.id, str)
        assert_type(event.event, PredictionStreamEventType)
        outputs = [e.data for e in events if e.event == "output"]
        assert outputs == ["a", "b"] and event.event == "done", events

        # The prediction a wait's timeout carries.
        slow = client.predictions.create({"input": {"sleep": 60}}, model="demo/echo")
        timed_out: WaitTimeoutError | None = None
        try:
            client.predictions.wait(slow.id, WaitOptions(timeout=0.5), cancel_on_timeout=True)
        except WaitTimeoutError as e:
            timed_out = e
        assert timed_out is not None, "a 60 s prediction finished within a 0.5 s wait"
        last = timed_out.prediction
        assert last is not None, timed_out
        assert_type(last.id, str)
        assert_type(last.status, PredictionStatus)
        assert last.id == slow.id and timed_out.cancelled, timed_out

    print(f"predictkit {predictkit.__version__}: library smoke test passed")


if __name__ == "__main__":
    main()
