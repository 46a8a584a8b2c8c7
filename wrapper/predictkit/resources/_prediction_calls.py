"""Pure request builders and input checks for ``client.predictions``: nothing here sends.

Requests come from the generated layer's public ``build_request`` functions; each becomes a
Call through ``API.call`` (per-call ``timeout=``/``extra_headers=``, the write-once rule), so
bad input raises a typed error before anything is sent.

Which create route: ``POST /predictions`` with the ``model`` field. It is the route the official
client uses, the one documented to return ``Location``, and the one that takes
``owner/name`` and ``owner/name:version`` alike (the model-scoped routes exist too, see
openapi.yaml, but would split one call into two URL shapes).
"""

from __future__ import annotations

import inspect
import json
import math
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import httpx
from predictkit_api.api.predictions import (
    cancel_prediction,
    create_prediction,
    get_prediction,
    list_predictions,
)
from predictkit_api.models.create_prediction_request import CreatePredictionRequest
from predictkit_api.models.prediction_status import PREDICTION_STATUS_VALUES, PredictionStatus
from predictkit_api.types import UNSET

from predictkit._api import API, Call, Timeout, WriteOnce, per_call_timeout
from predictkit._checks import is_http_url
from predictkit._error_map import unreadable
from predictkit._errors import InvalidInputError, InvalidInputTypeError, ResponseParseError
from predictkit._types import CreatePredictionParams, PaginationOptions
from predictkit.model_ref import ModelRef
from predictkit.pagination import check_limit, check_page_size
from predictkit.waiting import (
    DEFAULT_ASYNC_WAIT_OPTIONS,
    DEFAULT_WAIT_OPTIONS,
    AsyncWaitOptions,
    WaitOptions,
)

SERVER_WAIT = 60.0
"""Longest hold we ask of the server with ``Prefer: wait`` (it may cap it lower)."""
_WAIT_MARGIN = 10.0
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_PARAM_KEYS = frozenset({"input", "webhook", "validate_input", "stream"})

assert create_prediction.WRITE_ONCE is not None, "the spec marks prediction create write-once"
CREATE_ONCE = WriteOnce(*create_prediction.WRITE_ONCE)
"""The advice of an unknown create outcome, from the spec's ``x-write-once`` for the operation."""


def check_prediction_id(prediction_id: object) -> str:
    """Prediction ids are UUIDs; refuse anything that could not be one before sending."""
    if not isinstance(prediction_id, str) or not _ID.fullmatch(prediction_id):
        raise InvalidInputError(
            f"Invalid prediction id {prediction_id!r}: expected an id like "
            "'497f6eca-6276-4993-bfeb-53cbbbba6f08'."
        )
    return prediction_id


@attrs.frozen
class PerCall:
    """The per-call options every prediction method takes (as the generated resources do)."""

    timeout: Timeout | None = None
    extra_headers: Mapping[str, str] | None = None


NO_OPTIONS = PerCall()


def deadline_in(budget: float | None) -> float | None:
    """The time.monotonic() instant ``budget`` seconds from now (None: no deadline)."""
    return None if budget is None else time.monotonic() + budget


def get_call(
    prediction_id: str, deadline: float | None = None, per_call: PerCall = NO_OPTIONS
) -> Call:
    return _by_id(get_prediction.build_request, prediction_id, deadline, per_call)


def cancel_call(
    prediction_id: str, deadline: float | None = None, per_call: PerCall = NO_OPTIONS
) -> Call:
    # Cancel is idempotent by the API's own rules, so it may be retried like a GET.
    return _by_id(cancel_prediction.build_request, prediction_id, deadline, per_call)


def _by_id(
    build: Callable[[str], dict[str, Any]],
    prediction_id: str,
    deadline: float | None,
    per_call: PerCall,
) -> Call:
    pid = check_prediction_id(prediction_id)
    return API.call(
        build(pid),
        prediction_id=pid,
        deadline=deadline,
        timeout=per_call.timeout,
        extra_headers=per_call.extra_headers,
    )


def list_call(
    cursor: str | None,
    page_size: int | None,
    statuses: list[PredictionStatus] | None,
    per_call: PerCall = NO_OPTIONS,
) -> Call:
    kwargs = list_predictions.build_request(
        cursor=UNSET if cursor is None else cursor,
        page_size=UNSET if page_size is None else page_size,
        statuses=UNSET if statuses is None else statuses,
    )
    return API.call(kwargs, timeout=per_call.timeout, extra_headers=per_call.extra_headers)


@attrs.frozen
class ListPlan:
    """A list call's checked arguments: where it starts (``cursor``) and each page's Call."""

    cursor: str | None
    page_size: int | None
    statuses: list[PredictionStatus] | None
    per_call: PerCall
    first: Call
    """The first page's Call, built (which checks the per-call options) before any is sent."""

    def call(self, cursor: str | None) -> Call:
        if cursor == self.cursor:
            return self.first  # a Call is immutable: built once, sent as often as needed
        return list_call(cursor, self.page_size, self.statuses, self.per_call)


def list_plan(
    options: PaginationOptions | None,
    statuses: Iterable[str] | None,
    limit: int | None,
    per_call: PerCall,
) -> ListPlan:
    """Check every argument of ``list``/``async_list`` before anything is sent."""
    cursor, page_size, checked = _list_args(options, statuses, limit)
    first = list_call(cursor, page_size, checked, per_call)
    return ListPlan(cursor, page_size, checked, per_call, first)


def create_call(
    params: CreatePredictionParams,
    model: str | ModelRef,
    *,
    server_wait: float | None,
    deadline: float | None = None,
    timeout: Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Call:
    """Validate the earlier SDK's params dict and build ``POST /predictions``.

    ``"stream": True`` asks for the prediction's event stream; the API then answers a
    ``Prefer: wait`` create with the stream itself, so no ``Prefer`` is sent with it (a wait
    listens to the stream instead). ``deadline`` stops retry sleeps past a wait's timeout. A
    ``timeout`` of the caller's is stretched to cover the server's hold."""
    given: object = params  # typed as a dict, but callers may pass anything
    if isinstance(given, str | ModelRef) and isinstance(model, Mapping):
        raise InvalidInputTypeError(
            "create(params, model) got the model first: the arguments look swapped. Call "
            f"create({{'input': {{...}}}}, model={str(given)!r})."
        )
    ref = ModelRef.parse(model)
    body, validate, stream = _checked_params(params, ref)
    if stream:
        server_wait = None
    kwargs = create_prediction.build_request(
        body=CreatePredictionRequest.from_dict(body),
        prefer=UNSET if server_wait is None else f"wait={server_wait:g}",
        validate_input=validate,
    )
    # The API documents no idempotency key; one is sent so a server that honours it can
    # deduplicate the one retry reconciliation may make. Correctness does not depend on it.
    kwargs.setdefault("headers", {})["Idempotency-Key"] = str(uuid.uuid4())
    return API.call(
        kwargs,
        timeout=_held(per_call_timeout(timeout), server_wait),
        extra_headers=extra_headers,
        write_once=CREATE_ONCE,
        deadline=deadline,
    )


def _held(timeout: httpx.Timeout | None, server_wait: float | None) -> httpx.Timeout | None:
    """The create's timeout: the caller's (None: the client's), its read stretched to outlast
    the server's ``Prefer: wait`` hold."""
    if server_wait is None:
        return timeout
    hold = server_wait + _WAIT_MARGIN
    if timeout is None:
        return httpx.Timeout(hold, connect=10.0)
    read = hold if timeout.read is None else max(timeout.read, hold)
    return httpx.Timeout(connect=timeout.connect, read=read, write=timeout.write, pool=timeout.pool)


def _checked_params(
    params: CreatePredictionParams, ref: ModelRef
) -> tuple[dict[str, Any], Any, bool]:
    """The request body, the validate_input flag (UNSET when not given) and whether a stream
    was asked for; raises on anything malformed."""
    if not isinstance(params, Mapping):
        raise InvalidInputTypeError(
            f"params must be a dict like {{'input': {{...}}}}, not {type(params).__name__}."
        )
    unknown = set(params) - _PARAM_KEYS
    if unknown:
        raise InvalidInputError(
            f"Unknown prediction params {sorted(unknown)}; expected {sorted(_PARAM_KEYS)}."
        )
    if "input" not in params:
        raise InvalidInputError(
            "params needs an 'input' object, e.g. {'input': {'prompt': '...'}}."
        )
    if not isinstance(params["input"], Mapping):
        raise InvalidInputError(
            f"params['input'] must be a JSON object (a dict), not {type(params['input']).__name__}."
        )
    check_json_input(params["input"])
    body: dict[str, Any] = {"model": str(ref), "input": dict(params["input"])}
    webhook = params.get("webhook")
    if webhook is not None:
        body["webhook"] = _checked_webhook(webhook)
    validate = params.get("validate_input", UNSET)
    if validate is not UNSET and not isinstance(validate, bool):
        raise InvalidInputError(
            f"params['validate_input'] must be True or False, not {validate!r}."
        )
    stream = params.get("stream", UNSET)
    if stream is not UNSET:
        if not isinstance(stream, bool):
            raise InvalidInputError(f"params['stream'] must be True or False, not {stream!r}.")
        body["stream"] = stream
    return body, validate, stream is True


def check_json_input(input_: Mapping[str, Any]) -> None:
    """Refuse, before any upload or request, an input JSON cannot carry (NaN or infinity, a
    set, an arbitrary object, a non-string key): httpx would fail deep inside ``json`` with a
    bare ValueError or TypeError. Files are set aside first: they are uploaded, not encoded."""
    from predictkit._files import replace_files  # noqa: PLC0415 (a get never needs it)

    try:
        json.dumps(replace_files(input_, lambda _file, _at: None), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"params['input'] cannot be sent as JSON ({exc}): use dicts with string keys, "
            "lists, strings, finite numbers, booleans and None (files as a Path, bytes or a "
            "binary file)."
        ) from None


def created_id(response: httpx.Response) -> str | None:
    """The new prediction's id from a create response's ``Location`` header, if any."""
    location = response.headers.get("location")
    if not location:
        return None
    last = httpx.URL(location).path.rstrip("/").rpartition("/")[2]
    return last if _ID.fullmatch(last) else None


def checked_id(response: httpx.Response, prediction_id: object) -> None:
    """Refuse a prediction body whose ``id`` is not an id, or (for a path naming one: get,
    cancel) is not the one asked for: a ResponseParseError, the server's fault, never an
    InvalidInputError later."""
    asked = _asked_id(response)
    if asked is not None:
        if prediction_id == asked:
            return
        raise unreadable(response, f"with prediction id {prediction_id!r}, not {asked!r}")
    if isinstance(prediction_id, str) and _ID.fullmatch(prediction_id):
        return
    raise unreadable(response, f"with prediction id {prediction_id!r}, which is not an id")


def created_but_unreadable(response: httpx.Response, error: ResponseParseError) -> None:
    """A create's 2xx body could not be read: say the create was sent, so a prediction may
    exist, and how to find it (by its Location when one came, else by listing)."""
    if response.request.method != "POST" or _asked_id(response) is not None:
        return
    located = created_id(response)
    find = (
        f"its Location names {located}: get it with client.predictions.get({located!r})"
        if located is not None
        else f"{CREATE_ONCE.check} before creating it again"
    )
    error.message += f". The create was sent, so a prediction may exist: {find}."
    error.prediction_id = error.prediction_id or located


def _asked_id(response: httpx.Response) -> str | None:
    """The prediction id a request's path names (get, cancel), None for a create or list."""
    parts = response.request.url.path.split("/")
    if "predictions" not in parts:
        return None
    at = len(parts) - 1 - parts[::-1].index("predictions")
    return parts[at + 1] if at < len(parts) - 1 else None


def checked_wait_options(options: object, *, sync: bool) -> WaitOptions | AsyncWaitOptions:
    """Check a wait's options before anything is sent; None means the defaults."""
    if options is None:
        return DEFAULT_WAIT_OPTIONS if sync else DEFAULT_ASYNC_WAIT_OPTIONS
    if not isinstance(options, WaitOptions | AsyncWaitOptions):
        raise InvalidInputTypeError(
            f"wait options must be WaitOptions or AsyncWaitOptions, not {options!r}."
        )
    if (
        sync
        and options.on_poll is not None
        and (isinstance(options, AsyncWaitOptions) or inspect.iscoroutinefunction(options.on_poll))
    ):
        raise InvalidInputTypeError(
            "This on_poll must be awaited, which a blocking wait cannot do: pass a plain "
            "function in WaitOptions, or use the async_ method."
        )
    return options


def check_after_id(after_id: object) -> None:
    if after_id is not None and (
        not isinstance(after_id, str) or not after_id or not after_id.isprintable()
    ):
        raise InvalidInputError(
            f"after_id must be an event id string from a previous stream, not {after_id!r}."
        )


def create_plan(
    params: CreatePredictionParams,
    model: str | ModelRef,
    wait: object,
    options: object,
    started: float,
    *,
    sync: bool,
    per_call: PerCall = NO_OPTIONS,
) -> tuple[Call, WaitOptions | AsyncWaitOptions]:
    """Check everything a create needs, then build it: nothing is sent on bad input."""
    if not isinstance(wait, bool):
        raise InvalidInputTypeError(f"wait must be True or False, not {wait!r}.")
    checked = checked_wait_options(options, sync=sync)
    deadline = None if checked.timeout is None or not wait else started + checked.timeout
    server_wait = _server_wait(checked, started) if wait else None
    call = create_call(
        params,
        model,
        server_wait=server_wait,
        deadline=deadline,
        timeout=per_call.timeout,
        extra_headers=per_call.extra_headers,
    )
    return call, checked


def _checked_webhook(webhook: Any) -> dict[str, Any]:
    if not isinstance(webhook, Mapping) or set(webhook) - {"url", "secret"}:
        raise InvalidInputError(
            "params['webhook'] must be {'url': 'https://…', 'secret': optional str}."
        )
    url = webhook.get("url")
    if not isinstance(url, str) or not is_http_url(url):
        raise InvalidInputError(f"params['webhook']['url'] must be an http(s) URL, not {url!r}.")
    secret = webhook.get("secret")
    if secret is not None and not isinstance(secret, str):
        raise InvalidInputError("params['webhook']['secret'] must be a string or None.")
    return dict(webhook)


def _server_wait(options: WaitOptions | AsyncWaitOptions, started: float) -> float:
    if options.timeout is None:
        return SERVER_WAIT
    left = options.timeout - (time.monotonic() - started)
    return max(0.0, min(SERVER_WAIT, math.ceil(left * 10) / 10))


def _statuses(statuses: Iterable[str] | None) -> list[PredictionStatus] | None:
    if statuses is None:
        return None
    if isinstance(statuses, str):
        statuses = [statuses]
    if not isinstance(statuses, Iterable):
        raise InvalidInputTypeError(
            f"statuses must be a status or a list of them, not {type(statuses).__name__}."
        )
    values = [str(s) for s in statuses]
    if not values:
        raise InvalidInputError(
            "statuses is empty, which would match nothing: pass None for every status."
        )
    unknown = [s for s in values if s not in PREDICTION_STATUS_VALUES]
    if unknown:
        raise InvalidInputError(
            f"Unknown status filter {unknown}; expected some of {sorted(PREDICTION_STATUS_VALUES)}."
        )
    return values  # type: ignore[return-value]  # checked against the Literal's values above


def _list_args(
    options: PaginationOptions | None, statuses: Iterable[str] | None, limit: int | None
) -> tuple[str | None, int | None, list[PredictionStatus] | None]:
    options = options or {}
    unknown = set(options) - {"cursor", "page_size"}
    if unknown:
        raise InvalidInputError(
            f"Unknown pagination options {sorted(unknown)}; expected 'cursor' and 'page_size'."
        )
    page_size = options.get("page_size")
    if page_size is not None:
        check_page_size(page_size)
    check_limit(limit)
    if page_size is None and limit is not None and limit < 25:
        page_size = max(5, limit)  # fetch no more than needed
    cursor = options.get("cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise InvalidInputError(f"cursor must be a string from a previous page, not {cursor!r}.")
    return cursor, page_size, _statuses(statuses)
