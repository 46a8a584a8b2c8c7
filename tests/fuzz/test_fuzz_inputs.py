"""User input at every method boundary: model references and request parameters.

Every invalid model reference raises before any request; every valid one round-trips. Arbitrary
ids, limits, statuses and create params either raise a PredictKitError (also a ValueError or
TypeError) before anything is sent, or produce one well-formed request: a path that stays under
the API's prefix with the id as a single segment, and a body that is strict JSON.
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from predictkit import Client, ModelRef, PredictKitError

from .strategies import json_values

name_chars = st.sampled_from("abcXYZ019-_./:@ %\u00e9\u0661\n\x00")
refs = st.one_of(
    st.text(max_size=30),
    st.text(name_chars, max_size=30),
    st.builds(
        lambda o, n, v: f"{o}/{n}:{v}",
        st.text(name_chars, max_size=8),
        st.text(name_chars, max_size=8),
        st.text(name_chars, max_size=6),
    ),
)
anything = st.one_of(json_values, st.binary(max_size=10), st.floats(), st.just(object()))


class _Recorder:
    """A transport that answers every request like the API would, and keeps what it saw."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.url.path.startswith("/v1/")
        assert ".." not in request.url.path.split("/")
        if request.content:
            json.loads(request.content, parse_constant=_reject_constant)
        if request.method == "GET" and request.url.path == "/v1/predictions":
            return httpx.Response(
                200, json={"items": [], "next_cursor": None, "previous_cursor": None}
            )
        return httpx.Response(404, json={"detail": "Not found."})


def _reject_constant(name: str) -> Any:
    raise AssertionError(f"non-standard JSON constant {name} sent")


def _client(recorder: _Recorder) -> Client:
    return Client(
        "t0ken", "https://api.test/v1", transport=httpx.MockTransport(recorder), max_retries=0
    )


def _outcome(build: Any, *args: Any) -> Any:
    """What ``build(*args)`` returns, or the exception it raised."""
    try:
        return build(*args)
    except Exception as exc:  # the tests classify it
        return exc


@given(text=refs)
def test_model_refs_round_trip_or_raise_before_sending(text: str) -> None:
    ref = _outcome(ModelRef.parse, text)
    if isinstance(ref, ModelRef):
        assert ModelRef.parse(str(ref)) == ref
        assert ModelRef(ref.owner, ref.name, ref.version) == ref
        return
    assert isinstance(ref, ValueError)
    assert isinstance(ref, PredictKitError)
    recorder = _Recorder()
    with _client(recorder) as client, pytest.raises(ValueError, match="model reference"):
        client.predictions.create({"input": {}}, model=text)
    assert recorder.requests == []


@given(
    owner=st.text(max_size=10),
    name=st.text(max_size=10),
    version=st.one_of(st.none(), st.integers(-5, 10**30), anything),
)
def test_model_ref_construction_validates_like_parse(owner: str, name: str, version: Any) -> None:
    ref = _outcome(ModelRef, owner, name, version)
    if isinstance(ref, ModelRef):
        assert ModelRef.parse(str(ref)) == ref
    else:
        assert isinstance(ref, ValueError | TypeError)
        assert isinstance(ref, PredictKitError)


@given(prediction_id=st.one_of(st.text(max_size=40), anything))
def test_ids_raise_typed_or_send_one_segment(prediction_id: Any) -> None:
    recorder = _Recorder()
    with _client(recorder) as client:
        for call in (client.predictions.get, client.predictions.cancel):
            with contextlib.suppress(PredictKitError):
                call(prediction_id)
    for request in recorder.requests:
        segments = request.url.raw_path.split(b"?")[0].split(b"/")
        assert segments[:3] == [b"", b"v1", b"predictions"]
        assert len(segments) in (4, 5)  # /v1/predictions/{id}[/cancel]


@given(
    limit=anything | st.integers(-10, 10**20),
    status=anything | st.lists(st.text(max_size=10), max_size=3),
)
def test_list_params_raise_typed_or_send(limit: Any, status: Any) -> None:
    recorder = _Recorder()
    with _client(recorder) as client, contextlib.suppress(PredictKitError):
        list(client.predictions.list(limit=limit, statuses=status))


@given(
    params=st.one_of(
        anything,
        st.dictionaries(
            st.sampled_from(["input", "webhook", "stream", "validate_input", "other"]),
            anything,
            max_size=4,
        ),
    )
)
def test_create_params_raise_typed_or_send_strict_json(params: Any) -> None:
    recorder = _Recorder()
    with _client(recorder) as client, contextlib.suppress(PredictKitError):
        client.predictions.create(params, model="demo/echo")
    for request in recorder.requests:
        body = json.loads(request.content)
        assert isinstance(body, dict)
        assert isinstance(body.get("input"), dict)
        assert not any(isinstance(v, float) and not math.isfinite(v) for v in _leaves(body))


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]
