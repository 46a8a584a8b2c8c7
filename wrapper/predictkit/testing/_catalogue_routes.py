"""The catalogue routes: users (list, get, the token's own user and its update), search (models,
users), hardware and model categories."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from predictkit.testing._handlers import NULLABLE_STR, STR, Handlers, json_response
from predictkit.testing._http_errors import ApiError
from predictkit.testing._lifecycle import utc_now
from predictkit.testing._records import User
from predictkit.testing._validation import enum_param, required_param

_USER_BODY = {
    "type": "object",
    "properties": {
        "name": STR,
        "display_name": NULLABLE_STR,
        "bio": NULLABLE_STR,
        "urls": {"type": ["array", "null"], "items": STR},
        "company": NULLABLE_STR,
        "location": NULLABLE_STR,
    },
}


class CatalogueRoutes(Handlers):
    """/users, /user, /search/..., /hardware, /model_categories."""

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
        return json_response(self.store.user(request.path_params["name"]).render(details=True))

    async def get_authenticated_user(self, request: Request) -> Response:
        return json_response(self.store.me.render(details=True))

    async def update_authenticated_user(self, request: Request) -> Response:
        body = await self._body(request, _USER_BODY)
        me = self.store.me
        if "name" in body and body["name"] != me.name and self.store.find_user(body["name"]):
            raise ApiError(409, "This user name is taken.")
        for key in ("name", "display_name", "bio", "urls", "company", "location"):
            if key in body:
                setattr(me, key, body[key])
        me.updated_at = utc_now()
        return json_response(me.render(details=True))

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
