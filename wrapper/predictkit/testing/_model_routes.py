"""The model routes: models (list, the owner's, the token user's, create, get, update, delete)
and their versions (list, create, get, delete, configuration get and update)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from predictkit.testing._handlers import (
    NULLABLE_STR,
    STR,
    STRINGS,
    Handlers,
    authenticated,
    json_response,
)
from predictkit.testing._pagination import SortKey
from predictkit.testing._records import Model, render_version
from predictkit.testing._validation import ValidationFailed, enum_param, int_path, problem

_VISIBILITY = {"type": "string", "enum": ["restricted", "private", "public"]}
_MODEL_FIELDS = {
    "name": STR,
    "visibility": _VISIBILITY,
    "description": NULLABLE_STR,
    "source_url": NULLABLE_STR,
    "license_url": NULLABLE_STR,
    "paper_url": NULLABLE_STR,
    "overview": NULLABLE_STR,
    "category_slugs": STRINGS,
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
_CONFIGURATION = {"hardware_identifier": STR, "variable_names": STRINGS}
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

_URL_FIELDS = ("source_url", "license_url", "paper_url")


def _check_uri(value: Any, loc: tuple[str | int, ...]) -> list[dict[str, Any]]:
    """URL fields must be absolute URIs (``scheme:...``), as ``format: uri`` says."""
    if isinstance(value, str) and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$", value):
        return [problem(loc, "Input should be a valid URL", "url_parsing")]
    return []


class ModelRoutes(Handlers):
    """/models/..., and /user/models (the token user's own models)."""

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

    def _model(self, request: Request) -> Model:
        p = request.path_params
        return self.store.model(
            p["model_owner"], p["model_name"], authenticated=authenticated(request)
        )

    def _own_model(self, request: Request) -> Model:
        p = request.path_params
        return self.store.own_model(p["model_owner"], p["model_name"])

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
        return json_response(
            self.store.render_model(self.store.create_model(body), details=True), 201
        )

    def _check_urls(self, body: dict[str, Any]) -> None:
        problems = [p for f in _URL_FIELDS for p in _check_uri(body.get(f), ("body", f))]
        if problems:
            raise ValidationFailed(problems)

    async def get_model(self, request: Request) -> Response:
        return json_response(self.store.render_model(self._model(request), details=True))

    async def update_model(self, request: Request) -> Response:
        model = self._own_model(request)
        body = await self._body(request, {"type": "object", "properties": _MODEL_FIELDS})
        self._check_urls(body)
        return json_response(
            self.store.render_model(self.store.update_model(model, body), details=True)
        )

    async def delete_model(self, request: Request) -> Response:
        self.store.models.remove(self._own_model(request))
        return json_response(None)

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
        return json_response(render_version(version, details=True, configuration=True), 201)

    async def get_model_version(self, request: Request) -> Response:
        version = self._version(request, self._model(request))
        return json_response(render_version(version, details=True))

    async def delete_model_version(self, request: Request) -> Response:
        model = self._own_model(request)
        del model.versions[self._version(request, model)["number"]]
        return json_response(None)

    async def get_model_version_configuration(self, request: Request) -> Response:
        version = self._version(request, self._own_model(request))
        return json_response(version["configuration"])

    async def update_model_version_configuration(self, request: Request) -> Response:
        version = self._version(request, self._own_model(request))
        body = await self._body(request, {"type": "object", "properties": _CONFIGURATION})
        self.store.check_configuration(body, ("body",))
        version["configuration"] |= {k: body[k] for k in _CONFIGURATION if k in body}
        return json_response(version["configuration"])
