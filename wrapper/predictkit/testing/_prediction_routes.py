"""The prediction routes: create (three ways of naming the model), list, get, cancel, stream.

A create checks its body and ``Validate-Input`` the way the API does, honours ``Prefer: wait``
(capped by the server's ceiling) and, with ``stream: true``, answers with the event stream.
"""

from __future__ import annotations

import math
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from predictkit.testing._handlers import NULLABLE_STR, STR, Handlers, json_response
from predictkit.testing._http_errors import ApiError
from predictkit.testing._lifecycle import STATUSES, Webhook
from predictkit.testing._sse import EventStreamResponse
from predictkit.testing._validation import (
    ValidationFailed,
    ascii_int,
    bool_header,
    check_schema,
    enum_list,
    int_path,
    problem,
    uuid_path,
)
from predictkit.testing._webhooks import is_url

_WEBHOOK = {
    "type": ["object", "null"],
    "required": ["url"],
    "properties": {"url": STR, "secret": NULLABLE_STR},
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
        "model": STR,
        "input": {"type": "object"},
        "webhook": _WEBHOOK,
        "stream": {"type": "boolean"},
    },
}

_MODEL_REF = re.compile(r"^(?P<owner>[^/:\s]+)/(?P<name>[^/:\s]+)(?::(?P<number>[^/:\s]+))?$")

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


class PredictionRoutes(Handlers):
    """/predictions, and the creates under /models/{owner}/{name}[/versions/{number}]."""

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
        return json_response(prediction.details(), 201, location)

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
        return json_response(self.store.prediction(prediction_id).details())

    async def cancel_prediction(self, request: Request) -> Response:
        prediction_id = uuid_path("prediction_id", request.path_params["prediction_id"])
        prediction = self.store.prediction(prediction_id)
        # A repeated cancel is a success whether or not the first has taken effect yet, so its
        # answer never depends on the timing of the cancel latency.
        if prediction.terminal and not prediction.cancel_requested:
            raise ApiError(409, "Prediction has already finished and cannot be cancelled.")
        prediction.request_cancel()
        return json_response(None)

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
