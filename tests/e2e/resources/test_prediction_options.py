"""Per-call options on client.predictions (``timeout=``, ``extra_headers=``) and its
``with_raw_response`` view, sync and async, against the reference server: the same contract as
the generated resources (test_variables_uploads_and_options.py)."""

from __future__ import annotations

import pytest
from predictkit import APITimeoutError, InvalidInputError
from predictkit.testing import Fault, ReferenceServer

from .conftest import Resources

ECHO = {"input": {"prompt": "hi"}}


def _traces(server: ReferenceServer, operation_id: str) -> list[str | None]:
    return [r.headers.get("x-trace") for r in server.requests if r.operation_id == operation_id]


def test_extra_headers_reach_the_server_on_every_prediction_call(
    res: Resources, predictkit_server: ReferenceServer
) -> None:
    created = res("predictions.create", ECHO, "demo/echo", extra_headers={"X-Trace": "c"})
    res("predictions.get", created.id, extra_headers={"X-Trace": "g"})
    res("predictions.list", extra_headers={"X-Trace": "l"})
    res("predictions.cancel", created.id, extra_headers={"X-Trace": "x"})
    assert _traces(predictkit_server, "create_prediction") == ["c"]
    assert _traces(predictkit_server, "get_prediction")[:1] == ["g"]
    assert _traces(predictkit_server, "list_predictions") == ["l"]
    assert _traces(predictkit_server, "cancel_prediction") == ["x"]


def test_a_short_per_call_timeout_applies_to_get(
    res: Resources, predictkit_server: ReferenceServer
) -> None:
    created = res("predictions.create", ECHO, "demo/echo")
    predictkit_server.inject("get_prediction", Fault.delay(5), times=3)
    with pytest.raises(APITimeoutError):
        res("predictions.get", created.id, timeout=0.05)


def test_bad_per_call_options_are_refused_before_sending(
    res: Resources, predictkit_server: ReferenceServer
) -> None:
    with pytest.raises(InvalidInputError, match="timeout"):
        res("predictions.create", ECHO, "demo/echo", timeout=-1)
    with pytest.raises(InvalidInputError, match="Authorization"):
        res("predictions.list", extra_headers={"Authorization": "Bearer other"})
    assert predictkit_server.requests == []


def test_with_raw_response_gives_headers_and_the_typed_result(res: Resources) -> None:
    created = res.raw("predictions.create", ECHO, "demo/echo")
    assert created.status_code in (200, 201)
    assert created.request_id and created.headers["x-request-id"] == created.request_id
    pid = created.parsed.id
    got = res.raw("predictions.get", pid)
    assert got.status_code == 200 and got.parsed.id == pid and got.parse() is got.parsed
    assert got.request_id != created.request_id
    page = res.raw("predictions.list", limit=5)
    assert pid in [p.id for p in page.parsed.items] and page.request_id
    cancelled = res.raw("predictions.cancel", pid)
    assert cancelled.parsed is None and cancelled.request_id
