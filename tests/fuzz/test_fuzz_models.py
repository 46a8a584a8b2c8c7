"""Every generated model, fed hostile response bodies through the wrapper's parse path.

The rule (issue 10): a body parses, or raises ResponseParseError carrying the raw body; never a
KeyError, TypeError, RecursionError or anything else from deep inside the generated code.
Bodies are the published examples mutated at random paths (extra fields, unknown enum values,
nulls, wrong types, huge strings), arbitrary JSON, and deep nesting.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import predictkit_api.models as models_package
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from predictkit._error_map import parse_body
from predictkit._errors import ResponseParseError

from .strategies import deep, json_values

DATA = Path(__file__).resolve().parents[1] / "generated" / "data"
EXAMPLES = [json.loads(p.read_text()) for p in sorted(DATA.glob("*.json"))]


def _model_classes() -> list[type[Any]]:
    found = []
    for info in pkgutil.iter_modules(models_package.__path__):
        module = importlib.import_module(f"predictkit_api.models.{info.name}")
        for value in vars(module).values():
            mine = isinstance(value, type) and value.__module__ == module.__name__
            if mine and callable(getattr(value, "from_dict", None)):
                found.append(value)
    return sorted(found, key=lambda cls: cls.__name__)


MODELS = _model_classes()
PER_MODEL = settings(max_examples=25)
"""Examples per model and test: 57 models x 3 tests x 25 keeps the suite near a minute in CI."""


def _response(content: bytes) -> httpx.Response:
    request = httpx.Request("GET", "https://api.test/v1/fuzz")
    return httpx.Response(200, content=content, request=request)


def _parse_or_typed_error(build: Callable[[Any], Any], content: bytes) -> None:
    try:
        parse_body(_response(content), build)
    except ResponseParseError as exc:
        error = exc
    else:
        return
    assert error.body == content
    assert error.status_code == 200


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


def _drop(value: Any, path: tuple[Any, ...]) -> Any:
    if len(path) == 1 and isinstance(value, dict):
        return {k: v for k, v in value.items() if k != path[0]}
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _drop(value[head], rest)}
    copy = list(value)
    copy[head] = _drop(copy[head], rest)
    return copy


@st.composite
def mutated_examples(draw: st.DrawFn) -> Any:
    """A published example with up to three random edits: replace, drop, or add a key."""
    body = draw(st.sampled_from(EXAMPLES))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_paths(body)))
        action = draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "replace":
            body = _replace(body, path, draw(json_values))
        elif action == "drop" and path:
            body = _drop(body, path)
        else:
            key = draw(st.text(max_size=8))
            target = _get(body, path)
            if isinstance(target, dict):
                body = _replace(body, path, {**target, key: draw(json_values)})
    return body


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def test_every_model_is_fuzzed() -> None:
    assert len(MODELS) >= 40  # the spec's schemas; guards against the walk finding nothing


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
@PER_MODEL
@given(body=mutated_examples())
def test_mutated_examples_parse_or_raise_typed(model: type[Any], body: Any) -> None:
    _parse_or_typed_error(model.from_dict, json.dumps(body).encode())


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
@PER_MODEL
@given(body=json_values)
def test_arbitrary_json_parses_or_raises_typed(model: type[Any], body: Any) -> None:
    _parse_or_typed_error(model.from_dict, json.dumps(body).encode())


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
@PER_MODEL
@given(content=st.binary(max_size=200))
def test_arbitrary_bytes_parse_or_raise_typed(model: type[Any], content: bytes) -> None:
    _parse_or_typed_error(model.from_dict, content)


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
def test_deep_nesting_and_huge_strings_raise_typed(model: type[Any]) -> None:
    depth = 100_000
    _parse_or_typed_error(model.from_dict, b"[" * depth + b"]" * depth)
    _parse_or_typed_error(model.from_dict, b'{"a":' * depth + b"1" + b"}" * depth)
    _parse_or_typed_error(model.from_dict, json.dumps({"id": deep(500)}).encode())
    huge = "x" * 2_000_000
    _parse_or_typed_error(model.from_dict, json.dumps({"id": huge, "status": huge}).encode())
