"""Optional fields of the generated models: absent reads None, never the generator's UNSET.

The template override (generator-templates/model.py.jinja, docs/generator.md "Optional fields")
promises three things, checked here over every published example body and on the request
models users build:

- after from_dict, no attribute anywhere holds UNSET (absent optional fields read None);
- to_dict gives back what from_dict read: a key absent stays absent, a key sent as null stays
  null, unknown keys are kept (additional_properties);
- a constructor tells "leave the key out" (argument omitted, or OMITTED) from "send null"
  (None) on fields whose schema allows null; on other fields None means "leave it out".

The user-style typing check (mypy --strict narrows `is not None`) is test_public_types.py.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, cast

import attrs
import pytest
from predictkit_api.models import (
    CreateModelPredictionRequestInput,
    CreatePredictionRequest,
    PredictionList,
    PredictionWithDetails,
    UpdateModelRequest,
    UpdateUserRequest,
    UpdateVariableRequest,
    Webhook,
)
from predictkit_api.types import OMITTED, Unset

from .test_models import EXAMPLES, assert_same_json, load_object

PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)


def object_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every JSON object inside ``value`` (``()`` is the root)."""
    if isinstance(value, dict):
        yield path
        for key, item in value.items():
            yield from object_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from object_paths(item, (*path, index))


def node(body: Any, path: tuple[str | int, ...]) -> dict[str, Any]:
    for step in path:
        body = body[step]
    assert isinstance(body, dict)
    return body


def assert_no_unset(value: object, path: str = "$") -> None:
    """No attribute of an attrs model, at any depth, holds the generator's sentinel."""
    assert not isinstance(value, Unset), f"{path} is UNSET"
    if attrs.has(type(value)):
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(value))):
            assert_no_unset(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_unset(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            assert_no_unset(item, f"{path}.{key}")


def variants(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each key of each object in ``body`` removed, set to null, and one extra key added."""
    for path in object_paths(body):
        shown = "$" + "".join(f"[{step!r}]" for step in path)
        extra = copy.deepcopy(body)
        node(extra, path)["x_unknown"] = {"nested": [1, None]}
        yield f"{shown} + extra key", extra
        for key in node(body, path):
            absent = copy.deepcopy(body)
            del node(absent, path)[key]
            yield f"{shown}[{key!r}] absent", absent
            null = copy.deepcopy(body)
            node(null, path)[key] = None
            yield f"{shown}[{key!r}] null", null


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_absent_null_and_extra_keys_round_trip(name: str) -> None:
    """Every variant the parser accepts comes back from to_dict() unchanged, with no UNSET.

    Variants the parser refuses (a required key removed, null where a timestamp or nested
    object must be) are the wrapper's ResponseParseError cases, covered in test_models.py.
    """
    parse = EXAMPLES[name]
    accepted = 0
    for label, body in variants(load_object(name)):
        try:
            model = parse(body)
        except PARSE_ERRORS:
            continue
        accepted += 1
        assert_no_unset(model, label)
        try:
            assert_same_json(body, model.to_dict())
        except AssertionError as exc:
            raise AssertionError(f"{name}, {label}: {exc}") from exc
    assert accepted > 0


def test_absent_optional_fields_read_none() -> None:
    body = load_object("get_prediction.response.json")
    del body["url"]
    p = PredictionWithDetails.from_dict(body)
    assert (p.url, p.metrics, p.stream, p.logs, p.setup_logs) == (None,) * 5
    assert "url" not in p.to_dict()
    assert "metrics" not in p.to_dict()

    body["metrics"] = None
    assert PredictionWithDetails.from_dict(body).to_dict()["metrics"] is None


def test_null_where_the_spec_allows_none_is_kept() -> None:
    """The server is the authority: a null on a field the spec calls non-nullable round-trips."""
    body = load_object("list_predictions.response.json")
    body["items"][0]["url"] = None
    body["items"][0]["logs"] = None  # not declared on list items: kept as an extra key
    page = PredictionList.from_dict(body)
    assert page.items[0].url is None
    assert page.to_dict()["items"][0]["url"] is None
    assert_same_json(body, page.to_dict())

    # Setting the attribute later wins over the recorded null.
    page.items[0].url = "https://example.com/p"
    assert page.items[0].to_dict()["url"] == "https://example.com/p"


def test_request_model_omit_versus_null() -> None:
    """PATCH bodies: an omitted field is left unchanged by the API, a null clears it."""
    assert UpdateModelRequest().to_dict() == {}
    cleared = UpdateModelRequest(description=None, source_url=None)
    assert cleared.description is None
    assert cleared.to_dict() == {"description": None, "source_url": None}
    assert UpdateModelRequest(description="d").to_dict() == {"description": "d"}
    assert UpdateModelRequest(description=OMITTED).to_dict() == {}
    assert UpdateModelRequest(description=OMITTED).description is None

    # `name` may not be null: None there means "leave it out", never a null the API rejects.
    assert UpdateModelRequest(name=None, visibility=None).to_dict() == {}
    assert UpdateModelRequest(name="n", visibility="public").to_dict() == {
        "name": "n",
        "visibility": "public",
    }

    assert UpdateUserRequest(urls=None, bio="hi").to_dict() == {"urls": None, "bio": "hi"}
    assert UpdateUserRequest(urls=["https://a"]).to_dict() == {"urls": ["https://a"]}
    assert UpdateVariableRequest(value=None).to_dict() == {}


def test_request_model_nested_null_and_default() -> None:
    prompt = CreateModelPredictionRequestInput.from_dict({"prompt": "hi"})
    body = CreatePredictionRequest(input_=prompt, model="o/m", webhook=None)
    assert body.to_dict() == {
        "input": {"prompt": "hi"},
        "model": "o/m",
        "webhook": None,
        "stream": False,
    }
    hook = Webhook(url="https://example.com/hook")
    assert hook.secret is None
    assert hook.to_dict() == {"url": "https://example.com/hook"}
    with_hook = CreatePredictionRequest(input_=prompt, model="o/m", webhook=hook, stream=None)
    assert with_hook.to_dict() == {
        "input": {"prompt": "hi"},
        "model": "o/m",
        "webhook": {"url": "https://example.com/hook"},
    }


def test_mutating_a_nullable_field_after_construction() -> None:
    """None on a nullable field is sent as null only when it was given as null (to the
    constructor or in the parsed JSON); a field set to None later is left out."""
    request = UpdateModelRequest()
    request.description = "d"
    assert request.to_dict() == {"description": "d"}
    request.description = None
    assert request.to_dict() == {}

    cleared = UpdateModelRequest(description=None)
    cleared.description = "d"
    assert cleared.to_dict() == {"description": "d"}
    cleared.description = None
    assert cleared.to_dict() == {"description": None}


def test_null_keys_are_private_to_repr() -> None:
    request = UpdateModelRequest(description=None)
    assert "null_keys" not in repr(request)
    assert request != UpdateModelRequest()  # they send different JSON
    assert request == UpdateModelRequest(description=None)
