"""The server as one ASGI app: the API's routes under /v1 (named by their openapi operationId),
the file and upload-part URLs beside them, and the gate in front.

The handlers live in one module per resource family (``_prediction_routes``, ``_model_routes``,
``_catalogue_routes``, ``_storage_routes``, over ``_handlers``). Each checks its request the way
the API does (422 detail lists), acts on the store and answers in the current API shapes.
Handlers raise ``ApiError``/``ValidationFailed``; the exception handlers here turn them into
``{"detail": ...}`` bodies.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from predictkit.testing._catalogue_routes import CatalogueRoutes
from predictkit.testing._context import Context
from predictkit.testing._gate import Gate
from predictkit.testing._handlers import json_response
from predictkit.testing._http_errors import ApiError
from predictkit.testing._model_routes import ModelRoutes
from predictkit.testing._prediction_routes import PredictionRoutes
from predictkit.testing._storage_routes import StorageRoutes
from predictkit.testing._uploads import PartStorage
from predictkit.testing._validation import ValidationFailed


class Routes(PredictionRoutes, ModelRoutes, CatalogueRoutes, StorageRoutes):
    """Every handler, on one object the route table points into."""


_API_ROUTES: list[tuple[str, str, str]] = [
    ("POST", "/predictions", "create_prediction"),
    ("GET", "/predictions", "list_predictions"),
    ("GET", "/predictions/{prediction_id}", "get_prediction"),
    ("POST", "/predictions/{prediction_id}/cancel", "cancel_prediction"),
    ("GET", "/predictions/{prediction_id}/stream", "stream_prediction"),
    ("POST", "/models/{model_owner}/{model_name}/predictions", "create_model_prediction"),
    (
        "POST",
        "/models/{model_owner}/{model_name}/versions/{number}/predictions",
        "create_model_version_prediction",
    ),
    ("GET", "/models", "list_models"),
    ("POST", "/models", "create_model"),
    ("GET", "/models/{model_owner}", "list_owner_models"),
    ("GET", "/models/{model_owner}/{model_name}", "get_model"),
    ("PATCH", "/models/{model_owner}/{model_name}", "update_model"),
    ("DELETE", "/models/{model_owner}/{model_name}", "delete_model"),
    ("GET", "/models/{model_owner}/{model_name}/versions", "list_model_versions"),
    ("POST", "/models/{model_owner}/{model_name}/versions", "create_model_version"),
    ("GET", "/models/{model_owner}/{model_name}/versions/{number}", "get_model_version"),
    ("DELETE", "/models/{model_owner}/{model_name}/versions/{number}", "delete_model_version"),
    (
        "GET",
        "/models/{model_owner}/{model_name}/versions/{number}/configuration",
        "get_model_version_configuration",
    ),
    (
        "PATCH",
        "/models/{model_owner}/{model_name}/versions/{number}/configuration",
        "update_model_version_configuration",
    ),
    ("GET", "/model_categories", "list_model_categories"),
    ("GET", "/hardware", "list_hardware"),
    ("GET", "/users", "list_users"),
    ("GET", "/users/{name}", "get_user"),
    ("GET", "/user", "get_authenticated_user"),
    ("PATCH", "/user", "update_authenticated_user"),
    ("GET", "/user/models", "list_authenticated_user_models"),
    ("GET", "/search/models", "search_models"),
    ("GET", "/search/users", "search_users"),
    ("POST", "/uploads", "create_upload"),
    ("POST", "/uploads/{upload_id}/complete", "complete_upload"),
    ("GET", "/variables", "list_variables"),
    ("POST", "/variables", "create_variable"),
    ("PATCH", "/variables/{name}", "update_variable"),
    ("DELETE", "/variables/{name}", "delete_variable"),
]

OPERATION_IDS = frozenset(op for _, _, op in _API_ROUTES)
FAULT_TARGETS = OPERATION_IDS | {"download_file"}
"""Where a fault may be injected: the API's operations, and the file downloads of outputs."""


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return json_response({"detail": exc.message}, exc.status_code, exc.headers)


async def _validation_failed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationFailed)
    return json_response({"detail": exc.problems}, 422)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return json_response({"detail": exc.detail}, exc.status_code, exc.headers)


def build_app(ctx: Context) -> ASGIApp:
    """The whole server as one ASGI app: the gate in front of the routes."""
    routes = Routes(ctx)
    table = [
        Route("/v1" + path, getattr(routes, op), methods=[method], name=op)
        for method, path, op in _API_ROUTES
    ]
    table += [
        Route("/files/{file_id}", routes.download_file, methods=["GET"], name="download_file"),
        Route(
            "/uploads/{upload_id}/parts/{index}",
            PartStorage(ctx),
            methods=["PUT"],
            name="upload_part",
        ),
    ]
    app = Starlette(
        routes=table,
        exception_handlers={
            ApiError: _api_error,
            ValidationFailed: _validation_failed,
            HTTPException: _http_exception,
        },
    )
    return Gate(app, ctx, OPERATION_IDS, FAULT_TARGETS)
