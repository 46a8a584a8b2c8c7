"""What every group of route handlers shares: the context and store, a checked request body,
a page of a list, and the JSON schema fragments the request bodies are made of.

The groups (``_prediction_routes``, ``_model_routes``, ``_catalogue_routes``,
``_storage_routes``) subclass ``Handlers``; ``_app.Routes`` combines them for ``build_app``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from predictkit.testing._context import Context
from predictkit.testing._gate import AUTHENTICATED_KEY
from predictkit.testing._pagination import page
from predictkit.testing._records import Model
from predictkit.testing._validation import check_body, page_size

STR = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": STR}


def authenticated(request: Request) -> bool:
    return bool(request.scope.get(AUTHENTICATED_KEY))


def json_response(
    data: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return JSONResponse(data, status_code=status_code, headers=headers)


class Handlers:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

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
        return json_response(body)

    def _models_by_creation(self, request: Request, models: list[Model]) -> Response:
        """A page of models, oldest first (lists that take no sort parameters)."""
        return self._page(
            request,
            models,
            lambda m: (m.created_at, m.seq),
            self.store.render_model,
            descending=False,
        )

    async def _body(self, request: Request, schema: dict[str, Any]) -> dict[str, Any]:
        return check_body(schema, await request.body())
