"""A list's first page is built once: the Call made when ``list()`` checks its arguments is
the one sent (a Call is immutable), and each following page gets its own."""

from __future__ import annotations

from typing import Any

import pytest
from predictkit.resources._prediction_calls import PerCall, list_plan
from predictkit_api.api.predictions import list_predictions


def test_the_first_call_is_built_once_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[dict[str, Any]] = []
    real = list_predictions.build_request

    def counting(**kwargs: Any) -> dict[str, Any]:
        built.append(kwargs)
        request: dict[str, Any] = real(**kwargs)
        return request

    monkeypatch.setattr(list_predictions, "build_request", counting)
    plan = list_plan({"page_size": 20}, ["succeeded"], None, PerCall(timeout=5))
    assert len(built) == 1
    first = plan.call(None)
    assert first is plan.call(None) is plan.first
    assert len(built) == 1
    assert first.kwargs["params"] == {"page_size": 20, "statuses": ["succeeded"]}
    assert first.timeout is not None and first.timeout.read == 5

    following = plan.call("c2")
    assert len(built) == 2
    expected = {"cursor": "c2", "page_size": 20, "statuses": ["succeeded"]}
    assert following.kwargs["params"] == expected
    assert following.timeout == first.timeout


def test_a_plan_resumed_from_a_cursor_reuses_its_first_call() -> None:
    plan = list_plan({"cursor": "c1"}, None, None, PerCall())
    assert plan.call("c1") is plan.first
    assert plan.first.kwargs["params"]["cursor"] == "c1"
    assert plan.call(None) is not plan.first
