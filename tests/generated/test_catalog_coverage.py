"""Every endpoint of the WriftAI v1 catalog (shared/api/wriftai-v1.md, section 0) is in
openapi.yaml with a generated module; the vendor-compatible endpoints are out of scope.

The catalog's index is copied here (CI must not depend on files outside the repo)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from .test_models import load_spec

CATALOG = [
    ("post", "/predictions"),
    ("get", "/predictions"),
    ("get", "/predictions/{prediction_id}"),
    ("post", "/predictions/{prediction_id}/cancel"),
    ("get", "/predictions/{prediction_id}/stream"),
    ("post", "/models/{model_owner}/{model_name}/predictions"),
    ("post", "/models/{model_owner}/{model_name}/versions/{number}/predictions"),
    ("get", "/models"),
    ("post", "/models"),
    ("get", "/models/{model_owner}"),
    ("get", "/models/{model_owner}/{model_name}"),
    ("patch", "/models/{model_owner}/{model_name}"),
    ("delete", "/models/{model_owner}/{model_name}"),
    ("get", "/models/{model_owner}/{model_name}/versions"),
    ("post", "/models/{model_owner}/{model_name}/versions"),
    ("get", "/models/{model_owner}/{model_name}/versions/{number}"),
    ("delete", "/models/{model_owner}/{model_name}/versions/{number}"),
    ("get", "/models/{model_owner}/{model_name}/versions/{number}/configuration"),
    ("patch", "/models/{model_owner}/{model_name}/versions/{number}/configuration"),
    ("get", "/model_categories"),
    ("get", "/hardware"),
    ("get", "/users"),
    ("get", "/users/{name}"),
    ("get", "/user"),
    ("patch", "/user"),
    ("get", "/user/models"),
    ("get", "/search/models"),
    ("get", "/search/users"),
    ("post", "/uploads"),
    ("post", "/uploads/{upload_id}/complete"),
    ("get", "/variables"),
    ("post", "/variables"),
    ("patch", "/variables/{name}"),
    ("delete", "/variables/{name}"),
]
OUT_OF_SCOPE = ["/chat/completions", "/embeddings", "/images/generations", "/messages"]

SPEC: dict[str, Any] = load_spec()


@pytest.mark.parametrize(("method", "path"), CATALOG, ids=[f"{m} {p}" for m, p in CATALOG])
def test_catalog_endpoint_has_an_operation_and_a_module(method: str, path: str) -> None:
    operation = SPEC["paths"][path][method]
    assert operation["summary"]
    module = importlib.import_module(
        f"predictkit_api.api.{operation['tags'][0]}.{operation['operationId']}"
    )
    kwargs_builder = module._get_kwargs
    assert callable(kwargs_builder)


def test_nothing_beyond_the_catalog_and_no_vendor_endpoints() -> None:
    in_spec = {(m, p) for p, item in SPEC["paths"].items() for m in item if m != "parameters"}
    assert in_spec == set(CATALOG)
    assert not set(OUT_OF_SCOPE) & set(SPEC["paths"])


def test_both_model_scoped_create_routes_exist_beside_the_one_predictkit_uses() -> None:
    """predictkit sends the parsed ModelRef as the `model` field of POST /predictions; the
    model-scoped routes stay in the spec for other clients and the reference server."""
    ids = {
        SPEC["paths"][p]["post"]["operationId"]
        for p in (
            "/predictions",
            "/models/{model_owner}/{model_name}/predictions",
            "/models/{model_owner}/{model_name}/versions/{number}/predictions",
        )
    }
    assert ids == {
        "create_prediction",
        "create_model_prediction",
        "create_model_version_prediction",
    }
