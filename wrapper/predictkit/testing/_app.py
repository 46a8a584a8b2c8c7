"""The API's routes (named by their openapi operationId) and the file/upload URLs beside /v1.

Each handler checks its request the way the API does (422 detail lists), acts on the store and
answers in the current API shapes. Routes raise ``ApiError``/``ValidationFailed``; the exception
handlers turn them into ``{"detail": ...}`` bodies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from predictkit.testing._context import Context
from predictkit.testing._gate import AUTHENTICATED_KEY, Gate
from predictkit.testing._http_errors import ApiError
from predictkit.testing._lifecycle import STATUSES, Webhook, utc_now
from predictkit.testing._pagination import SortKey, page
from predictkit.testing._sse import EventStreamResponse
from predictkit.testing._store import Model, User, render_version
from predictkit.testing._uploads import PartStorage
from predictkit.testing._validation import (
    ValidationFailed,
    ascii_int,
    bool_header,
    check_body,
    check_schema,
    enum_list,
    enum_param,
    int_path,
    page_size,
    problem,
    required_param,
    uuid_path,
)
from predictkit.testing._webhooks import is_url

_STR = {"type": "string"}
_NULLABLE_STR = {"type": ["string", "null"]}
_STRINGS = {"type": "array", "items": _STR}
_WEBHOOK = {
    "type": ["object", "null"],
    "required": ["url"],
    "properties": {"url": _STR, "secret": _NULLABLE_STR},
}
_MODEL_PREDICTION_BODY = {
    "type": "object",
    "required": ["input"],
    "properties": {"input": {"type": "object"}, "webhook": _WEBHOOK},
}
_PREDICTION_BODY = {
    "type": "object",
    "required": ["model", "input"],
    "properties": {
        "model": _STR,
        "input": {"type": "object"},
        "webhook": _WEBHOOK,
        "stream": {"type": "boolean"},
    },
}
_VISIBILITY = {"type": "string", "enum": ["restricted", "private", "public"]}
_MODEL_FIELDS = {
    "name": _STR,
    "visibility": _VISIBILITY,
    "description": _NULLABLE_STR,
    "source_url": _NULLABLE_STR,
    "license_url": _NULLABLE_STR,
    "paper_url": _NULLABLE_STR,
    "overview": _NULLABLE_STR,
    "category_slugs": _STRINGS,
}
_SCHEMA_IO = {
    "type": "object",
    "required": ["input", "output"],
    "properties": {
        "input": {"type": "object"},
        "output": {"type": "object"},
        "stream_output": {"type": "object"},
    },
}
_CONFIGURATION = {"hardware_identifier": _STR, "variable_names": _STRINGS}
_COMPATIBILITIES = {
    "type": "object",
    "properties": {
        k: {"type": "boolean"}
        for k in (
            "openai_chat_completions",
            "openai_embeddings",
            "openai_images_generations",
            "openai_responses",
            "anthropic_messages",
        )
    },
}
_VERSION_BODY = {
    "type": "object",
    "required": ["release_notes", "schemas", "container_image_digest"],
    "properties": {
        "release_notes": {"type": "string", "maxLength": 255},
        "schemas": {
            "type": "object",
            "required": ["prediction"],
            "properties": {"prediction": _SCHEMA_IO},
        },
        "container_image_digest": {"type": "string", "pattern": "^sha256:[a-f0-9]{64}$"},
        "compatibilities": _COMPATIBILITIES,
        "configuration": {
            "type": "object",
            "required": ["hardware_identifier", "variable_names"],
            "properties": _CONFIGURATION,
        },
    },
}
_USER_BODY = {
    "type": "object",
    "properties": {
        "name": _STR,
        "display_name": _NULLABLE_STR,
        "bio": _NULLABLE_STR,
        "urls": {"type": ["array", "null"], "items": _STR},
        "company": _NULLABLE_STR,
        "location": _NULLABLE_STR,
    },
}
_UPLOAD_BODY = {
    "type": "object",
    "required": ["size", "mime_type"],
    "properties": {"size": {"type": "integer", "minimum": 0}, "mime_type": _STR},
}
_VARIABLE_BODY = {
    "type": "object",
    "required": ["name", "key", "value", "secret"],
    "properties": {"name": _STR, "key": _STR, "value": _STR, "secret": {"type": "boolean"}},
}

_MODEL_REF = re.compile(r"^(?P<owner>[^/:\s]+)/(?P<name>[^/:\s]+)(?::(?P<number>[^/:\s]+))?$")
_URL_FIELDS = ("source_url", "license_url", "paper_url")


def _check_uri(value: Any, loc: tuple[str | int, ...]) -> list[dict[str, Any]]:
    """URL fields must be absolute URIs (``scheme:...``), as ``format: uri`` says."""
    if isinstance(value, str) and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$", value):
        return [problem(loc, "Input should be a valid URL", "url_parsing")]
    return []


# A wait duration: ASCII decimal seconds, as clients format them (``10``, ``2.5``, ``1e-05``).
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")


def prefer_wait(header: str | None) -> tuple[bool, float | None]:
    """``Prefer`` -> (wait asked for, seconds or None for a bare ``wait``).

    Other preferences are ignored, and so is a ``wait`` whose value is not a duration
    (``wait=abc``, ``wait=nan``, ``wait=``): an invalid preference is no preference (RFC 7240).
    """
    asked, seconds = False, None
    for preference in (header or "").split(","):
        key, sep, value = preference.split(";")[0].strip().partition("=")  # drop parameters
        if key.strip().lower() != "wait":
            continue
        if not sep:
            asked, seconds = True, None
            continue
        value = value.strip().strip('"')
        if _SECONDS.fullmatch(value):
            number = float(value)
            asked, seconds = True, (number if math.isfinite(number) else None)
    return asked, seconds


def _authenticated(request: Request) -> bool:
    return bool(request.scope.get(AUTHENTICATED_KEY))


def _json(data: Any, status_code: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(data, status_code=status_code, headers=headers)


class Routes:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    # --- helpers ------------------------------------------------------------------------------

    def _page(
        self, request: Request, items: list[Any], key: Any, render: Any, *, descending: bool
    ) -> Response:
        size = page_size(request.query_params)
        body = page(
            items,
            key,
            descending=descending,
            cursor=request.query_params.get("cursor") or None,
            page_size=size,
            render=render,
        )
        return _json(body)

    def _models_by_creation(self, request: Request, models: list[Model]) -> Response:
        """A page of models, oldest first (lists that take no sort parameters)."""
        return self._page(
            request,
            models,
            lambda m: (m.created_at, m.seq),
            self.store.render_model,
            descending=False,
        )

    def _model_page(
        self, request: Request, models: list[Model], *, owner_listing: bool
    ) -> Response:
        q = request.query_params
        sort_by = enum_param(
            ("query", "sort_by"), q.get("sort_by"), ["created_at", "predictions_count"]
        )
        direction = enum_param(
            ("query", "sort_direction"), q.get("sort_direction"), ["asc", "desc"]
        )
        slugs = q.getlist("category_slugs")
        if slugs:
            models = [m for m in models if set(m.category_slugs) & set(slugs)]
        if sort_by == "predictions_count":
            if owner_listing:
                models = [m for m in models if m.predictions_count > 0]

            def key(m: Model) -> SortKey:
                return (m.predictions_count, m.seq)
        else:

            def key(m: Model) -> SortKey:
                return (m.created_at, m.seq)

        return self._page(
            request, models, key, self.store.render_model, descending=direction == "desc"
        )

    async def _body(self, request: Request, schema: dict[str, Any]) -> dict[str, Any]:
        return check_body(schema, await request.body())

    def _model(self, request: Request) -> Model:
        p = request.path_params
        return self.store.model(
            p["model_owner"], p["model_name"], authenticated=_authenticated(request)
        )

    def _own_model(self, request: Request) -> Model:
        p = request.path_params
        return self.store.own_model(p["model_owner"], p["model_name"])

    # --- predictions --------------------------------------------------------------------------

    async def create_prediction(self, request: Request) -> Response | EventStreamResponse:
        body = await self._body(request, _PREDICTION_BODY)
        ref = _MODEL_REF.match(body["model"])
        if ref is None:
            msg = "Value error, model must be 'owner/name' or 'owner/name:version_number'"
            raise ValidationFailed([problem(("body", "model"), msg, "value_error")])
        number = None
        if ref["number"] is not None:
            number = ascii_int(ref["number"])
            if number is None:
                msg = "Value error, a version number is written in ASCII digits"
                raise ValidationFailed([problem(("body", "model"), msg, "value_error")])
        return await self._create(request, ref["owner"], ref["name"], number, body)

    async def create_model_prediction(self, request: Request) -> Response | EventStreamResponse:
        body = await self._body(request, _MODEL_PREDICTION_BODY)
        p = request.path_params
        return await self._create(request, p["model_owner"], p["model_name"], None, body)

    async def create_model_version_prediction(
        self, request: Request
    ) -> Response | EventStreamResponse:
        p = request.path_params
        number = int_path("number", p["number"])
        body = await self._body(request, _MODEL_PREDICTION_BODY)
        return await self._create(request, p["model_owner"], p["model_name"], number, body)

    async def _create(
        self, request: Request, owner: str, name: str, number: int | None, body: dict[str, Any]
    ) -> Response | EventStreamResponse:
        ctx = self.ctx
        validate = bool_header("validate-input", request.headers.get("validate-input"))
        wait, seconds = prefer_wait(request.headers.get("prefer"))
        webhook = None
        if body.get("webhook") is not None:
            url = body["webhook"]["url"]
            if not re.match(r"^https?://[^\s/]+", url):
                msg = "URL scheme should be 'http' or 'https'"
                raise ValidationFailed([problem(("body", "webhook", "url"), msg, "url_scheme")])
            if not is_url(url):  # e.g. a port over 65535, a broken IPv6 address
                msg = "Input should be a valid URL"
                raise ValidationFailed([problem(("body", "webhook", "url"), msg, "url_parsing")])
            webhook = Webhook(url, body["webhook"].get("secret"))
        model = self.store.model(owner, name, authenticated=True)
        version = self.store.version(model, number)
        if validate:
            schema = version["schemas"]["prediction"]["input"]
            problems = check_schema(schema, body["input"], ("body", "input"))
            if problems:
                raise ValidationFailed(problems)
        prediction = self.store.create_prediction(model, version, body["input"], webhook)
        if ctx.streams == "requested" and body.get("stream") is not True:
            prediction.stream_available = False
        location = {"location": f"{ctx.base_url}/predictions/{prediction.id}"}
        if body.get("stream") is True and wait:
            idle = ctx.stream_idle_timeout if seconds is None else min(seconds, ctx.wait_ceiling)
            return EventStreamResponse(
                prediction,
                after_id=0,
                idle=idle,
                closing=ctx.closing,
                status_code=201,
                headers=location,
            )
        if wait:
            limit = ctx.wait_ceiling if seconds is None else min(seconds, ctx.wait_ceiling)
            await prediction.wait_terminal(limit, ctx.closing)
        return _json(prediction.details(), 201, location)

    async def list_predictions(self, request: Request) -> Response:
        statuses = enum_list(
            ("query", "statuses"), request.query_params.getlist("statuses"), STATUSES
        )
        items = [p for p in self.store.predictions.values() if not statuses or p.status in statuses]
        return self._page(
            request, items, lambda p: (p.seq,), lambda p: p.summary(), descending=True
        )

    async def get_prediction(self, request: Request) -> Response:
        prediction_id = uuid_path("prediction_id", request.path_params["prediction_id"])
        return _json(self.store.prediction(prediction_id).details())

    async def cancel_prediction(self, request: Request) -> Response:
        prediction_id = uuid_path("prediction_id", request.path_params["prediction_id"])
        prediction = self.store.prediction(prediction_id)
        # A repeated cancel is a success whether or not the first has taken effect yet, so its
        # answer never depends on the timing of the cancel latency.
        if prediction.terminal and not prediction.cancel_requested:
            raise ApiError(409, "Prediction has already finished and cannot be cancelled.")
        prediction.request_cancel()
        return _json(None)

    async def stream_prediction(self, request: Request) -> EventStreamResponse:
        prediction_id = uuid_path("prediction_id", request.path_params["prediction_id"])
        prediction = self.store.prediction(prediction_id)
        if not prediction.stream_available:
            raise ApiError(404, "This prediction's event stream is not available.")
        raw_after = request.query_params.get("after_id")
        after_id = 0
        if raw_after is not None:
            parsed = ascii_int(raw_after)
            if parsed is None or parsed < 0:
                msg = "after_id must be an event id from this stream"
                raise ValidationFailed([problem(("query", "after_id"), msg, "value_error")])
            after_id = parsed
        _, seconds = prefer_wait(request.headers.get("prefer"))
        idle = (
            self.ctx.stream_idle_timeout if seconds is None else min(seconds, self.ctx.wait_ceiling)
        )
        return EventStreamResponse(
            prediction, after_id=after_id, idle=idle, closing=self.ctx.closing
        )

    # --- models -------------------------------------------------------------------------------

    async def list_models(self, request: Request) -> Response:
        models = [m for m in self.store.models if m.visibility == "public"]
        return self._model_page(request, models, owner_listing=False)

    async def list_owner_models(self, request: Request) -> Response:
        owner = self.store.user(request.path_params["model_owner"])
        models = [m for m in self.store.models if m.owner is owner and m.visibility == "public"]
        return self._model_page(request, models, owner_listing=True)

    async def list_authenticated_user_models(self, request: Request) -> Response:
        models = [m for m in self.store.models if m.owner is self.store.me]
        return self._models_by_creation(request, models)

    async def create_model(self, request: Request) -> Response:
        body = await self._body(
            request, {"type": "object", "required": ["name"], "properties": _MODEL_FIELDS}
        )
        self._check_urls(body)
        return _json(self.store.render_model(self.store.create_model(body), details=True), 201)

    def _check_urls(self, body: dict[str, Any]) -> None:
        problems = [p for f in _URL_FIELDS for p in _check_uri(body.get(f), ("body", f))]
        if problems:
            raise ValidationFailed(problems)

    async def get_model(self, request: Request) -> Response:
        return _json(self.store.render_model(self._model(request), details=True))

    async def update_model(self, request: Request) -> Response:
        model = self._own_model(request)
        body = await self._body(request, {"type": "object", "properties": _MODEL_FIELDS})
        self._check_urls(body)
        return _json(self.store.render_model(self.store.update_model(model, body), details=True))

    async def delete_model(self, request: Request) -> Response:
        self.store.models.remove(self._own_model(request))
        return _json(None)

    # --- versions -----------------------------------------------------------------------------

    def _version(self, request: Request, model: Model) -> dict[str, Any]:
        return self.store.version(model, int_path("number", request.path_params["number"]))

    async def list_model_versions(self, request: Request) -> Response:
        model = self._model(request)
        return self._page(
            request,
            list(model.versions.values()),
            lambda v: (v["number"],),
            lambda v: render_version(v, details=False),
            descending=True,
        )

    async def create_model_version(self, request: Request) -> Response:
        model = self._own_model(request)
        body = await self._body(request, _VERSION_BODY)
        version = self.store.create_version(model, body)
        return _json(render_version(version, details=True, configuration=True), 201)

    async def get_model_version(self, request: Request) -> Response:
        version = self._version(request, self._model(request))
        return _json(render_version(version, details=True))

    async def delete_model_version(self, request: Request) -> Response:
        model = self._own_model(request)
        del model.versions[self._version(request, model)["number"]]
        return _json(None)

    async def get_model_version_configuration(self, request: Request) -> Response:
        version = self._version(request, self._own_model(request))
        return _json(version["configuration"])

    async def update_model_version_configuration(self, request: Request) -> Response:
        version = self._version(request, self._own_model(request))
        body = await self._body(request, {"type": "object", "properties": _CONFIGURATION})
        self.store.check_configuration(body, ("body",))
        version["configuration"] |= {k: body[k] for k in _CONFIGURATION if k in body}
        return _json(version["configuration"])

    # --- catalogue and users ------------------------------------------------------------------

    async def list_model_categories(self, request: Request) -> Response:
        cats = self.store.categories
        return self._page(request, cats, lambda c: (c["slug"],), dict, descending=False)

    async def list_hardware(self, request: Request) -> Response:
        hardware = self.store.hardware
        return self._page(request, hardware, lambda h: (h["identifier"],), dict, descending=False)

    def _user_page(self, request: Request, users: list[User]) -> Response:
        q = request.query_params
        enum_param(("query", "sort_by"), q.get("sort_by"), ["created_at"])
        direction = enum_param(
            ("query", "sort_direction"), q.get("sort_direction"), ["asc", "desc"]
        )
        return self._page(
            request,
            users,
            lambda u: (u.created_at, u.account_id),
            lambda u: u.render(),
            descending=direction == "desc",
        )

    async def list_users(self, request: Request) -> Response:
        return self._user_page(request, self.store.users)

    async def get_user(self, request: Request) -> Response:
        return _json(self.store.user(request.path_params["name"]).render(details=True))

    async def get_authenticated_user(self, request: Request) -> Response:
        return _json(self.store.me.render(details=True))

    async def update_authenticated_user(self, request: Request) -> Response:
        body = await self._body(request, _USER_BODY)
        me = self.store.me
        if "name" in body and body["name"] != me.name and self.store.find_user(body["name"]):
            raise ApiError(409, "This user name is taken.")
        for key in ("name", "display_name", "bio", "urls", "company", "location"):
            if key in body:
                setattr(me, key, body[key])
        me.updated_at = utc_now()
        return _json(me.render(details=True))

    async def search_models(self, request: Request) -> Response:
        q = required_param(("query", "q"), request.query_params.get("q")).lower()
        found = [
            m
            for m in self.store.models
            if m.visibility == "public"
            and (q in m.name.lower() or q in (m.description or "").lower() or q in m.owner.name)
        ]
        return self._models_by_creation(request, found)

    async def search_users(self, request: Request) -> Response:
        q = required_param(("query", "q"), request.query_params.get("q")).lower()
        found = [
            u
            for u in self.store.users
            if q in u.name.lower() or q in (u.display_name or "").lower()
        ]
        return self._page(
            request,
            found,
            lambda u: (u.created_at, u.account_id),
            lambda u: u.render(),
            descending=False,
        )

    # --- uploads and variables ----------------------------------------------------------------

    async def create_upload(self, request: Request) -> Response:
        body = await self._body(request, _UPLOAD_BODY)
        return _json(self.store.create_upload(int(body["size"]), body["mime_type"]), 201)

    async def complete_upload(self, request: Request) -> Response:
        body = await self._body(
            request, {"type": "object", "required": ["etags"], "properties": {"etags": _STRINGS}}
        )
        url = self.store.complete_upload(request.path_params["upload_id"], body["etags"])
        return _json({"download_url": url})

    def _variable(self, name: str) -> dict[str, Any]:
        variable = self.store.variables.get(name)
        if variable is None:
            raise ApiError(404, "Variable not found.")
        return variable

    @staticmethod
    def _render_variable(v: dict[str, Any]) -> dict[str, Any]:
        return {**v, "value": "" if v["secret"] else v["value"]}

    async def list_variables(self, request: Request) -> Response:
        items = list(self.store.variables.values())
        return self._page(
            request,
            items,
            lambda v: (v["created_at"], v["name"]),
            self._render_variable,
            descending=False,
        )

    async def create_variable(self, request: Request) -> Response:
        body = await self._body(request, _VARIABLE_BODY)
        if body["name"] in self.store.variables:
            raise ApiError(409, "A variable with this name exists.")
        variable = {k: body[k] for k in ("name", "key", "value", "secret")}
        variable |= {"created_at": utc_now(), "updated_at": None}
        self.store.variables[body["name"]] = variable
        return _json(self._render_variable(variable), 201)

    async def update_variable(self, request: Request) -> Response:
        variable = self._variable(request.path_params["name"])
        body = await self._body(
            request, {"type": "object", "properties": {"value": _STR, "key": _STR}}
        )
        variable |= {k: body[k] for k in ("value", "key") if k in body}
        variable["updated_at"] = utc_now()
        return _json(self._render_variable(variable))

    async def delete_variable(self, request: Request) -> Response:
        del self.store.variables[self._variable(request.path_params["name"])["name"]]
        return _json(None)

    # --- outside the API: signed-URL style file and upload-part endpoints ---------------------

    async def download_file(self, request: Request) -> Response:
        found = self.store.files.get(request.path_params["file_id"])
        if found is None:
            raise ApiError(404, "File not found.")
        data, media_type = found
        return Response(data, media_type=media_type)


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
    return _json({"detail": exc.message}, exc.status_code, exc.headers)


async def _validation_failed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationFailed)
    return _json({"detail": exc.problems}, 422)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _json({"detail": exc.detail}, exc.status_code, exc.headers)


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
