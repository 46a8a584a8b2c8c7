"""Every operation in openapi.yaml is a typed method on Client, or on the commented list below.

For generated resources the method is found by what it calls: its code names the endpoint
module (``list_models.parse``...). Its return type must be the endpoint's typed result (for a
cursor-paged list: ``Pages[<item>]``, ``AsyncPaginated[<item>]`` for the async twin), never Any.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from predictkit import Client
from predictkit_api.api import AsyncPaginated, Pages

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"

HANDWRITTEN = {
    # client.predictions is handwritten: create/wait/stream behaviour is special.
    "create_prediction": "predictions.create",
    "list_predictions": "predictions.list",
    "get_prediction": "predictions.get",
    "cancel_prediction": "predictions.cancel",
    "stream_prediction": "predictions.stream",
}
EXCEPTIONS = {
    # The model-scoped create routes do what POST /predictions does with the model in the
    # body; client.predictions.create(params, "owner/name[:N]") covers both (see the module
    # docstring of predictkit.resources.predictions). Also listed in
    # generator-templates/predictkit.jinja (skipped_operations).
    "create_model_prediction",
    "create_model_version_prediction",
}


def operations() -> list[tuple[str, str, str]]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                found.append((op["operationId"], method, path))
    return sorted(found)


def resources(obj: object, where: str) -> Iterator[tuple[str, object]]:
    """Every generated resource reachable from ``obj``, with its attribute path."""
    for name in dir(obj):
        if name.startswith("_") or name == "with_raw_response":
            continue
        value = getattr(obj, name, None)
        if any(c.__module__.startswith("predictkit_api.api.") for c in type(value).__mro__):
            yield f"{where}{name}", value
            yield from resources(value, f"{where}{name}.")


def generated_methods(client: Client) -> dict[str, list[tuple[str, Callable[..., Any]]]]:
    """operationId -> the (path, method) pairs whose code calls that endpoint module."""
    found: dict[str, list[tuple[str, Callable[..., Any]]]] = {}
    for path, resource in resources(client, ""):
        for name, method in inspect.getmembers(resource, inspect.ismethod):
            if name.startswith("_"):
                continue
            module = inspect.getmodule(method)
            for global_name in method.__code__.co_names:
                endpoint = getattr(module, global_name, None)
                if isinstance(endpoint, ModuleType) and hasattr(endpoint, "build_request"):
                    found.setdefault(global_name, []).append((f"{path}.{name}", method))
    return found


@pytest.fixture(scope="module")
def reachable() -> dict[str, list[tuple[str, Callable[..., Any]]]]:
    return generated_methods(Client(access_token="t", api_base_url="https://api.test/v1"))


@pytest.mark.parametrize(("operation_id", "method", "path"), operations())
def test_operation_is_a_typed_method_on_client(
    operation_id: str,
    method: str,
    path: str,
    reachable: dict[str, list[tuple[str, Callable[..., Any]]]],
) -> None:
    if operation_id in EXCEPTIONS:
        assert operation_id not in reachable
        return
    client = Client(access_token="t", api_base_url="https://api.test/v1")
    if operation_id in HANDWRITTEN:
        target: Any = client
        for part in HANDWRITTEN[operation_id].split("."):
            target = getattr(target, part)
        assert callable(target)
        assert typing.get_type_hints(target)["return"] is not Any
        return
    methods = dict(reachable.get(operation_id, []))
    assert len(methods) == 2, f"{operation_id} ({method.upper()} {path}) is not on Client"
    sync_name = min(methods, key=lambda n: "async_" in n)
    where, _, name = sync_name.rpartition(".")
    sync, asynchronous = methods[sync_name], methods[f"{where}.async_{name}"]
    module = inspect.getmodule(sync)
    endpoint = getattr(module, operation_id)
    parsed = typing.get_type_hints(endpoint.parse)["return"]
    sync_result = typing.get_type_hints(sync)["return"]
    async_result = typing.get_type_hints(asynchronous)["return"]
    if endpoint.PAGED:
        (item_type,) = typing.get_args(sync_result)
        assert isinstance(item_type, type)
        # the list model names its items under TYPE_CHECKING, so compare the annotation text
        assert parsed.__annotations__["items"] == f"list[{item_type.__name__}]"
        assert sync_result == Pages[item_type]  # type: ignore[valid-type]
        assert async_result == AsyncPaginated[item_type]  # type: ignore[valid-type]
    else:
        assert sync_result == parsed
        assert async_result == parsed
        assert inspect.iscoroutinefunction(asynchronous)


def test_the_exception_lists_match_the_templates() -> None:
    templates = (SPEC.parent / "generator-templates" / "predictkit.jinja").read_text()
    for operation_id in EXCEPTIONS:
        assert f'"{operation_id}":' in templates.split("skipped_operations")[1].split("%}")[0]
    assert '"predictions"' in templates.split("handwritten_tags")[1].split("%}")[0]
    assert {op for op, _, _ in operations()} >= EXCEPTIONS | HANDWRITTEN.keys()


def test_generated_resources_have_async_twins_with_the_same_parameters() -> None:
    client = Client(access_token="t", api_base_url="https://api.test/v1")
    checked = 0
    for path, resource in resources(client, ""):
        methods = dict(inspect.getmembers(resource, inspect.ismethod))
        for name, method in methods.items():
            if name.startswith(("_", "async_")):
                continue
            twin = methods.get(f"async_{name}")
            assert twin is not None, f"{path}.{name} has no async twin"
            params = inspect.signature(method).parameters
            assert params == inspect.signature(twin).parameters, f"{path}.{name}"
            checked += 1
        assert all(n.removeprefix("async_") in methods for n in methods if n.startswith("async_"))
    # 34 operations - 5 handwritten (predictions) - 2 exceptions, + the 3 handwritten upload
    # methods on the same resource (upload, resolve_files, resolve_params), twins too.
    assert checked == 30


def test_internal_reprs_hide_the_token() -> None:
    token = "secret-token-456"
    client = Client(access_token=token, api_base_url="https://api.test/v1")
    for text in (repr(client._api), repr(client._transport), repr(client.models)):
        assert token not in text
