"""What an account stores besides models: variables, uploads, and the files served from them.

The file URLs (``/files/{file_id}``) are outside /v1, like the signed URLs the API hands out;
upload parts are PUT to ``testing._uploads.PartStorage``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from predictkit.testing._handlers import STR, STRINGS, Handlers, json_response
from predictkit.testing._http_errors import ApiError
from predictkit.testing._lifecycle import utc_now

_UPLOAD_BODY = {
    "type": "object",
    "required": ["size", "mime_type"],
    "properties": {"size": {"type": "integer", "minimum": 0}, "mime_type": STR},
}
_VARIABLE_BODY = {
    "type": "object",
    "required": ["name", "key", "value", "secret"],
    "properties": {"name": STR, "key": STR, "value": STR, "secret": {"type": "boolean"}},
}


class StorageRoutes(Handlers):
    """/uploads, /variables, and /files/{file_id} (outside /v1)."""

    async def create_upload(self, request: Request) -> Response:
        body = await self._body(request, _UPLOAD_BODY)
        return json_response(self.store.create_upload(int(body["size"]), body["mime_type"]), 201)

    async def complete_upload(self, request: Request) -> Response:
        body = await self._body(
            request, {"type": "object", "required": ["etags"], "properties": {"etags": STRINGS}}
        )
        url = self.store.complete_upload(request.path_params["upload_id"], body["etags"])
        return json_response({"download_url": url})

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
        return json_response(self._render_variable(variable), 201)

    async def update_variable(self, request: Request) -> Response:
        variable = self._variable(request.path_params["name"])
        body = await self._body(
            request, {"type": "object", "properties": {"value": STR, "key": STR}}
        )
        variable |= {k: body[k] for k in ("value", "key") if k in body}
        variable["updated_at"] = utc_now()
        return json_response(self._render_variable(variable))

    async def delete_variable(self, request: Request) -> Response:
        del self.store.variables[self._variable(request.path_params["name"])["name"]]
        return json_response(None)

    # --- outside the API: signed-URL style file and upload-part endpoints ---------------------

    async def download_file(self, request: Request) -> Response:
        found = self.store.files.get(request.path_params["file_id"])
        if found is None:
            raise ApiError(404, "File not found.")
        data, media_type = found
        return Response(data, media_type=media_type)
