"""client.predictions: create, get, list, wait, cancel, stream, run, poll, download.

Every method has an ``async_`` twin with the same parameters. Requests are built by pure
functions over the generated layer's ``_get_kwargs``; responses are parsed by the generated
models; sending, retries and errors live in predictkit._http.

Which create route: ``POST /predictions`` with the ``model`` field. It is the route the official
client uses, the one documented to return ``Location``, and the one that takes
``owner/name`` and ``owner/name:version`` alike (the model-scoped routes exist too, see
openapi.yaml, but would split one call into two URL shapes).
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import math
import os
import re
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, assert_never

import attrs
import httpx
from predictkit_api.api.predictions import (
    cancel_prediction,
    create_prediction,
    get_prediction,
    list_predictions,
)
from predictkit_api.models.create_prediction_request import CreatePredictionRequest
from predictkit_api.models.prediction import Prediction
from predictkit_api.models.prediction_list import PredictionList
from predictkit_api.models.prediction_status import PREDICTION_STATUS_VALUES, PredictionStatus
from predictkit_api.types import UNSET

from predictkit import _aio, batch
from predictkit._errors import (
    APIConnectionError,
    APIStatusError,
    ConflictError,
    CreateOutcomeUnknownError,
    NotFoundError,
    PredictKitError,
    UnsafeDownloadError,
)
from predictkit._http import Call, Retry, error_from_exception, error_from_response, parse_body
from predictkit._prediction import PredictionWithIO
from predictkit._types import CreatePredictionParams, PaginationOptions, Status, is_terminal
from predictkit.model_ref import ModelRef
from predictkit.pagination import AsyncPage, AsyncPaginator, Page, check_limit, check_page_size
from predictkit.reconcile import (
    PAGE_SIZE,
    Found,
    Inspect,
    ListNewest,
    Pause,
    Sent,
    reconcile_policy,
)
from predictkit.reconcile import Step as ReconcileStep
from predictkit.streaming import (
    TERMINAL_EVENTS,
    AsyncPredictionStream,
    PredictionStream,
    SSEDecoder,
    stream_call,
)
from predictkit.waiting import (
    DEFAULT_ASYNC_WAIT_OPTIONS,
    DEFAULT_WAIT_OPTIONS,
    AsyncWaitOptions,
    Cancel,
    Fetch,
    Heard,
    Listen,
    Notify,
    Sleep,
    WaitOptions,
    adrive,
    drive,
    wait_policy,
)

if TYPE_CHECKING:
    from predictkit._client import Client

__all__ = ["Poller", "Predictions"]

log = logging.getLogger("predictkit")

SERVER_WAIT = 60.0
"""Longest hold we ask of the server with ``Prefer: wait`` (it may cap it lower)."""
_WAIT_MARGIN = 10.0
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_PARAM_KEYS = frozenset({"input", "webhook", "validate_input", "stream"})
_CHUNK = 64 * 1024


# --- pure request builders -------------------------------------------------------------------


def check_prediction_id(prediction_id: object) -> str:
    """Prediction ids are UUIDs; refuse anything that could not be one before sending."""
    if not isinstance(prediction_id, str) or not _ID.fullmatch(prediction_id):
        raise ValueError(
            f"Invalid prediction id {prediction_id!r}: expected an id like "
            "'497f6eca-6276-4993-bfeb-53cbbbba6f08'."
        )
    return prediction_id


def get_call(prediction_id: str, deadline: float | None = None) -> Call:
    pid = check_prediction_id(prediction_id)
    return Call(get_prediction._get_kwargs(pid), prediction_id=pid, deadline=deadline)


def _deadline(budget: float | None) -> float | None:
    return None if budget is None else time.monotonic() + budget


def cancel_call(prediction_id: str, deadline: float | None = None) -> Call:
    pid = check_prediction_id(prediction_id)
    # Cancel is idempotent by the API's own rules, so it may be retried like a GET.
    return Call(cancel_prediction._get_kwargs(pid), prediction_id=pid, deadline=deadline)


def list_call(
    cursor: str | None, page_size: int | None, statuses: list[PredictionStatus] | None
) -> Call:
    return Call(
        list_predictions._get_kwargs(
            cursor=UNSET if cursor is None else cursor,
            page_size=UNSET if page_size is None else page_size,
            statuses=UNSET if statuses is None else statuses,
        )
    )


def create_call(
    params: CreatePredictionParams,
    model: str | ModelRef,
    *,
    server_wait: float | None,
    deadline: float | None = None,
) -> Call:
    """Validate the earlier SDK's params dict and build ``POST /predictions``.

    ``"stream": True`` asks for the prediction's event stream; the API then answers a
    ``Prefer: wait`` create with the stream itself, so no ``Prefer`` is sent with it (a wait
    listens to the stream instead). ``deadline`` stops retry sleeps past a wait's timeout."""
    ref = ModelRef.parse(model)
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict like {{'input': {{...}}}}, not {type(params).__name__}."
        )
    unknown = set(params) - _PARAM_KEYS
    if unknown:
        raise ValueError(
            f"Unknown prediction params {sorted(unknown)}; expected {sorted(_PARAM_KEYS)}."
        )
    if "input" not in params:
        raise ValueError("params needs an 'input' object, e.g. {'input': {'prompt': '...'}}.")
    if not isinstance(params["input"], Mapping):
        raise ValueError(
            f"params['input'] must be a JSON object (a dict), not {type(params['input']).__name__}."
        )
    body: dict[str, Any] = {"model": str(ref), "input": dict(params["input"])}
    webhook = params.get("webhook")
    if webhook is not None:
        body["webhook"] = _checked_webhook(webhook)
    validate = params.get("validate_input", UNSET)
    if validate is not UNSET and not isinstance(validate, bool):
        raise ValueError(f"params['validate_input'] must be True or False, not {validate!r}.")
    stream = params.get("stream", UNSET)
    if stream is not UNSET:
        if not isinstance(stream, bool):
            raise ValueError(f"params['stream'] must be True or False, not {stream!r}.")
        body["stream"] = stream
        if stream:
            server_wait = None
    kwargs = create_prediction._get_kwargs(
        body=CreatePredictionRequest.from_dict(body),
        prefer=UNSET if server_wait is None else f"wait={server_wait:g}",
        validate_input=validate,
    )
    # The API documents no idempotency key; one is sent so a server that honours it can
    # deduplicate the one retry reconciliation may make. Correctness does not depend on it.
    kwargs.setdefault("headers", {})["Idempotency-Key"] = str(uuid.uuid4())
    timeout = (
        None if server_wait is None else httpx.Timeout(server_wait + _WAIT_MARGIN, connect=10.0)
    )
    return Call(kwargs, retry=Retry.CREATE, timeout=timeout, deadline=deadline)


def created_id(response: httpx.Response) -> str | None:
    """The new prediction's id from a create response's ``Location`` header, if any."""
    location = response.headers.get("location")
    if not location:
        return None
    last = httpx.URL(location).path.rstrip("/").rpartition("/")[2]
    return last if _ID.fullmatch(last) else None


def checked_wait_options(options: object, *, sync: bool) -> WaitOptions | AsyncWaitOptions:
    """Check a wait's options before anything is sent; None means the defaults."""
    if options is None:
        return DEFAULT_WAIT_OPTIONS if sync else DEFAULT_ASYNC_WAIT_OPTIONS
    if not isinstance(options, WaitOptions | AsyncWaitOptions):
        raise TypeError(f"wait options must be WaitOptions or AsyncWaitOptions, not {options!r}.")
    if (
        sync
        and options.on_poll is not None
        and (isinstance(options, AsyncWaitOptions) or inspect.iscoroutinefunction(options.on_poll))
    ):
        raise TypeError(
            "This on_poll must be awaited, which a blocking wait cannot do: pass a plain "
            "function in WaitOptions, or use the async_ method."
        )
    return options


def _check_after_id(after_id: object) -> None:
    if after_id is not None and (
        not isinstance(after_id, str) or not after_id or not after_id.isprintable()
    ):
        raise ValueError(
            f"after_id must be an event id string from a previous stream, not {after_id!r}."
        )


def _check_wait_flag(wait: object) -> None:
    if not isinstance(wait, bool):
        raise TypeError(f"wait must be True or False, not {wait!r}.")


def _create_plan(
    params: CreatePredictionParams,
    model: str | ModelRef,
    wait: object,
    options: object,
    started: float,
    *,
    sync: bool,
) -> tuple[Call, WaitOptions | AsyncWaitOptions]:
    """Check everything a create needs, then build it: nothing is sent on bad input."""
    _check_wait_flag(wait)
    checked = checked_wait_options(options, sync=sync)
    deadline = None if checked.timeout is None or not wait else started + checked.timeout
    server_wait = _server_wait(checked, started) if wait else None
    return create_call(params, model, server_wait=server_wait, deadline=deadline), checked


def _checked_webhook(webhook: Any) -> dict[str, Any]:
    if not isinstance(webhook, Mapping) or set(webhook) - {"url", "secret"}:
        raise ValueError("params['webhook'] must be {'url': 'https://…', 'secret': optional str}.")
    url = webhook.get("url")
    if not isinstance(url, str) or not _is_http_url(url):
        raise ValueError(f"params['webhook']['url'] must be an http(s) URL, not {url!r}.")
    secret = webhook.get("secret")
    if secret is not None and not isinstance(secret, str):
        raise ValueError("params['webhook']['secret'] must be a string or None.")
    return dict(webhook)


def _is_http_url(url: str) -> bool:
    if any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


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
        raise TypeError(
            f"statuses must be a status or a list of them, not {type(statuses).__name__}."
        )
    values = [str(s) for s in statuses]
    if not values:
        raise ValueError(
            "statuses is empty, which would match nothing: pass None for every status."
        )
    unknown = [s for s in values if s not in PREDICTION_STATUS_VALUES]
    if unknown:
        raise ValueError(
            f"Unknown status filter {unknown}; expected some of {sorted(PREDICTION_STATUS_VALUES)}."
        )
    return values  # type: ignore[return-value]  # checked against the Literal's values above


MAX_DOWNLOAD_REDIRECTS = 10


def _no_query(url: httpx.URL) -> httpx.URL:
    """The URL without its query: a signed URL's query is a credential."""
    return url.copy_with(query=None)


def _next_hop(client: Client, response: httpx.Response) -> httpx.Request | None:
    """The redirect to follow, checked like the first URL (httpx drops Authorization when the
    origin changes); None when the response is not a redirect."""
    hop = response.next_request if response.is_redirect else None
    if hop is not None:
        _download_target(client, str(hop.url))
    return hop


def _too_many_redirects(url: httpx.URL) -> APIConnectionError:
    where = _no_query(url)
    return APIConnectionError(
        f"Downloading {where} failed: more than {MAX_DOWNLOAD_REDIRECTS} redirects.",
        method="GET",
        url=str(where),
    )


def _download_failed(response: httpx.Response) -> APIStatusError:
    """The error for a failed download, without the signed query or the API's own hints."""
    error = error_from_response(response, hints=False)
    error.url = str(_no_query(response.request.url))
    return error


def _download_target(client: Client, url: str) -> tuple[httpx.URL, dict[str, str]]:
    """Check an output URL; the token goes only to the API's own origin."""
    if not isinstance(url, str) or not _is_http_url(url):
        shown = url.partition("?")[0] if isinstance(url, str) else url
        raise UnsafeDownloadError(
            f"Refusing to download {shown!r}: only http(s) URLs are supported."
        )
    parsed = httpx.URL(url)
    api = client._is_api_url(parsed)
    if parsed.scheme == "http" and not api and parsed.host not in ("127.0.0.1", "localhost", "::1"):
        raise UnsafeDownloadError(f"Refusing plain-http download from {parsed.host}: use https.")
    headers = (
        {"Authorization": f"Bearer {client._sender.token}"} if api and client._sender.token else {}
    )
    return parsed, headers


# --- the resource ----------------------------------------------------------------------------


class Predictions:
    """Predictions: ``client.predictions``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    create_many = batch.create_many  # many inputs at the account's rate limit: predictkit.batch
    async_create_many = batch.async_create_many

    def _prediction(self, response: httpx.Response) -> PredictionWithIO:
        prediction = parse_body(response, PredictionWithIO.from_dict)
        prediction._client = self._client
        return prediction

    def _page(self, response: httpx.Response) -> PredictionList:
        return parse_body(response, PredictionList.from_dict)

    def _created(self, response: httpx.Response, call: Call) -> PredictionWithIO:
        """Read a create's 2xx response. If the body is cut, the prediction exists: fetch it by
        the id in ``Location`` rather than report an unknown outcome."""
        try:
            response.read()
        except httpx.RequestError as exc:
            pid = _id_of_cut_create(response, exc, call)
            with _created_but_unread(pid):
                return self.get(pid)
        finally:
            response.close()
        with _tagged(created_id(response)):
            return self._prediction(response)

    async def _async_created(self, response: httpx.Response, call: Call) -> PredictionWithIO:
        try:
            await response.aread()
        except httpx.RequestError as exc:
            pid = _id_of_cut_create(response, exc, call)
            with _created_but_unread(pid):
                return await self.async_get(pid)
        finally:
            await response.aclose()
        with _tagged(created_id(response)):
            return self._prediction(response)

    def _create_sent(self, call: Call) -> PredictionWithIO:
        """Send a create; if its outcome is unknown, find out (predictkit.reconcile): return
        the prediction it made, or send it once more if it never arrived."""
        sent = _sent(call, self._client)
        for retried in (False, True):
            try:
                prediction = self._created(self._client._send(call, stream=True), call)
            except CreateOutcomeUnknownError as exc:
                if not _reconcilable(exc, self._client):
                    raise
                try:
                    found = drive(_reconciling(sent, self._client), self._reconcile_step)
                except PredictKitError as failed:
                    raise _unreconciled(exc, failed) from failed
                pid = _settle(exc, found, retried=retried)
                if pid is None:
                    continue
                prediction = self._get(pid)
            self._client._created.add(prediction.id)
            return prediction
        raise AssertionError("unreachable: the second round settles or raises")  # pragma: no cover

    async def _async_create_sent(self, call: Call) -> PredictionWithIO:
        sent = _sent(call, self._client)
        for retried in (False, True):
            try:
                response = await self._client._asend(call, stream=True)
                prediction = await self._async_created(response, call)
            except CreateOutcomeUnknownError as exc:
                if not _reconcilable(exc, self._client):
                    raise
                try:
                    found = await adrive(_reconciling(sent, self._client), self._a_reconcile_step)
                except PredictKitError as failed:
                    raise _unreconciled(exc, failed) from failed
                pid = _settle(exc, found, retried=retried)
                if pid is None:
                    continue
                prediction = await self._async_get(pid)
            self._client._created.add(prediction.id)
            return prediction
        raise AssertionError("unreachable: the second round settles or raises")  # pragma: no cover

    def _reconcile_step(self, step: ReconcileStep) -> Any:
        match step:
            case ListNewest():
                response = self._client._send(list_call(step.cursor, PAGE_SIZE, None))
                return self._page(response), response.headers.get("date")
            case Inspect():
                return self._get(step.prediction_id).to_dict()
            case Pause():
                time.sleep(step.seconds)
                return None
            case _:
                assert_never(step)

    async def _a_reconcile_step(self, step: ReconcileStep) -> Any:
        match step:
            case ListNewest():
                response = await self._client._asend(list_call(step.cursor, PAGE_SIZE, None))
                return self._page(response), response.headers.get("date")
            case Inspect():
                return (await self._async_get(step.prediction_id)).to_dict()
            case Pause():
                await _aio.sleep(step.seconds)
                return None
            case _:
                assert_never(step)

    # get -------------------------------------------------------------------------------------

    def get(self, prediction_id: str) -> PredictionWithIO:
        """The prediction with its input, output and error."""
        return self._get(prediction_id)

    async def async_get(self, prediction_id: str) -> PredictionWithIO:
        return await self._async_get(prediction_id)

    def _get(self, prediction_id: str, budget: float | None = None) -> PredictionWithIO:
        """get(), within ``budget`` seconds (retries included) when a wait gives one."""
        return self._prediction(self._client._send(get_call(prediction_id, _deadline(budget))))

    async def _async_get(self, prediction_id: str, budget: float | None = None) -> PredictionWithIO:
        call = get_call(prediction_id, _deadline(budget))
        return self._prediction(await self._client._asend(call))

    # create ----------------------------------------------------------------------------------

    def create(
        self,
        params: CreatePredictionParams,
        model: str | ModelRef,
        wait: bool = False,
        wait_options: WaitOptions | None = DEFAULT_WAIT_OPTIONS,
    ) -> PredictionWithIO:
        """Start a prediction on ``model`` (``owner/name`` or ``owner/name:version``).

        With ``wait=True`` the server is first asked to hold the response until the prediction
        ends (``Prefer: wait``); only if it is still running does the client wait on, within
        ``wait_options.timeout`` counted from this call. Never retried in a way that could run
        the prediction twice (see CreateOutcomeUnknownError).
        """
        _create_plan(params, model, wait, wait_options, time.monotonic(), sync=True)  # check first
        params = self._client.uploads.resolve_params(params)  # files in the input -> their URLs
        started = time.monotonic()
        call, options = _create_plan(params, model, wait, wait_options, started, sync=True)
        prediction = self._create_sent(call)
        if not wait:
            return prediction
        # Through the wait even when already terminal: on_poll sees the final state, no request.
        return self._wait(prediction.id, prediction, options, started=started)

    async def async_create(
        self,
        params: CreatePredictionParams,
        model: str | ModelRef,
        wait: bool = False,
        wait_options: AsyncWaitOptions | WaitOptions | None = DEFAULT_ASYNC_WAIT_OPTIONS,
    ) -> PredictionWithIO:
        _create_plan(params, model, wait, wait_options, time.monotonic(), sync=False)
        params = await self._client.uploads.async_resolve_params(params)
        started = time.monotonic()
        call, options = _create_plan(params, model, wait, wait_options, started, sync=False)
        prediction = await self._async_create_sent(call)
        if not wait:
            return prediction
        return await self._async_wait(prediction.id, prediction, options, started=started)

    # wait ------------------------------------------------------------------------------------

    def wait(
        self,
        predictionID: str,
        options: WaitOptions | None = DEFAULT_WAIT_OPTIONS,
        *,
        cancel_on_timeout: bool = False,
    ) -> PredictionWithIO:
        """Block until the prediction ends; return it. See predictkit.waiting for how."""
        return self._wait(
            check_prediction_id(predictionID), None, options, cancel_on_timeout=cancel_on_timeout
        )

    async def async_wait(
        self,
        predictionID: str,
        options: AsyncWaitOptions | WaitOptions | None = DEFAULT_ASYNC_WAIT_OPTIONS,
        *,
        cancel_on_timeout: bool = False,
    ) -> PredictionWithIO:
        return await self._async_wait(
            check_prediction_id(predictionID), None, options, cancel_on_timeout=cancel_on_timeout
        )

    def _wait(
        self,
        prediction_id: str,
        first: PredictionWithIO | None,
        options: WaitOptions | AsyncWaitOptions | None,
        *,
        cancel_on_timeout: bool = False,
        started: float | None = None,
    ) -> PredictionWithIO:
        opts = checked_wait_options(options, sync=True)
        policy = wait_policy(
            first,
            opts,
            cancel_on_timeout=cancel_on_timeout,
            started=started,
            listen_first=first is None,
            run_times=self._client._run_times,
        )

        def execute(step: Any) -> Any:
            if isinstance(step, Fetch):
                return self._get(prediction_id, step.budget)
            if isinstance(step, Listen):
                return self._listen(prediction_id, step)
            if isinstance(step, Sleep):
                time.sleep(step.seconds)
            elif isinstance(step, Notify) and opts.on_poll is not None:
                opts.on_poll(step.prediction)
            elif isinstance(step, Cancel):
                self._cancel(prediction_id, step.budget)
            return None

        with _tagged(prediction_id):
            result: PredictionWithIO = drive(policy, execute)
            return result

    async def _async_wait(
        self,
        prediction_id: str,
        first: PredictionWithIO | None,
        options: AsyncWaitOptions | WaitOptions | None,
        *,
        cancel_on_timeout: bool = False,
        started: float | None = None,
    ) -> PredictionWithIO:
        opts = checked_wait_options(options, sync=False)
        policy = wait_policy(
            first,
            opts,
            cancel_on_timeout=cancel_on_timeout,
            started=started,
            listen_first=first is None,
            run_times=self._client._run_times,
        )

        async def execute(step: Any) -> Any:
            if isinstance(step, Fetch):
                return await self._async_get(prediction_id, step.budget)
            if isinstance(step, Listen):
                return await self._async_listen(prediction_id, step)
            if isinstance(step, Sleep):
                await _aio.sleep(step.seconds)
            elif isinstance(step, Notify) and opts.on_poll is not None:
                outcome = opts.on_poll(step.prediction)
                if outcome is not None:
                    await outcome
            elif isinstance(step, Cancel):
                await self._async_cancel(prediction_id, step.budget)
            return None

        with _tagged(prediction_id):
            result: PredictionWithIO = await adrive(policy, execute)
            return result

    def _listen(self, prediction_id: str, step: Listen) -> Heard:
        call = stream_call(prediction_id, step.after_id, step.idle, _deadline(step.budget))
        response = self._client._send(call, stream=True)
        hearing = _Hearing(step.after_id, call.deadline, self._client)
        try:
            for line in response.iter_lines():
                if hearing.feed(line):
                    break
        except httpx.ReadTimeout:
            pass  # quiet for the whole idle gap or the wait's budget: the policy looks again
        except httpx.RequestError as exc:
            raise error_from_exception(exc, response.request, call) from exc
        finally:
            response.close()
        return hearing.heard()

    async def _async_listen(self, prediction_id: str, step: Listen) -> Heard:
        call = stream_call(prediction_id, step.after_id, step.idle, _deadline(step.budget))
        response = await self._client._asend(call, stream=True)
        hearing = _Hearing(step.after_id, call.deadline, self._client)
        try:
            async for line in response.aiter_lines():
                if hearing.feed(line):
                    break
        except httpx.ReadTimeout:
            pass
        except httpx.RequestError as exc:
            raise error_from_exception(exc, response.request, call) from exc
        finally:
            await response.aclose()
        return hearing.heard()

    # list ------------------------------------------------------------------------------------

    def list(
        self,
        pagination_options: PaginationOptions | None = None,
        *,
        statuses: Iterable[Status | str] | None = None,
        limit: int | None = None,
    ) -> Page[Prediction]:
        """Your predictions, newest first: the first page (``items``, cursors) which, iterated,
        walks every item across pages lazily (at most ``limit``). ``statuses`` filters;
        ``pagination_options`` = {cursor, page_size (5-50)} resumes from a saved cursor."""
        cursor, page_size, wanted = _list_args(pagination_options, statuses, limit)

        def fetch(cursor: str | None) -> Page[Prediction]:
            data = self._page(self._client._send(list_call(cursor, page_size, wanted)))
            return Page(*_page_fields(data), limit=limit, fetch=fetch)

        return fetch(cursor)

    def async_list(
        self,
        pagination_options: PaginationOptions | None = None,
        *,
        statuses: Iterable[Status | str] | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[Prediction]:
        """``await`` it for the first page, or ``async for`` over every item (see ``list``)."""
        cursor, page_size, wanted = _list_args(pagination_options, statuses, limit)

        async def fetch(cursor: str | None) -> AsyncPage[Prediction]:
            data = self._page(await self._client._asend(list_call(cursor, page_size, wanted)))
            return AsyncPage(*_page_fields(data), limit=limit, fetch=fetch)

        return AsyncPaginator(lambda: fetch(cursor))

    # cancel ----------------------------------------------------------------------------------

    def cancel(self, prediction_id: str) -> None:
        """Ask the API to stop the prediction. Repeating is harmless; a prediction that already
        ended raises ConflictError."""
        self._cancel(prediction_id)

    async def async_cancel(self, prediction_id: str) -> None:
        await self._async_cancel(prediction_id)

    def _cancel(self, prediction_id: str, budget: float | None = None) -> None:
        self._client._send(cancel_call(prediction_id, _deadline(budget))).close()

    async def _async_cancel(self, prediction_id: str, budget: float | None = None) -> None:
        call = cancel_call(prediction_id, _deadline(budget))
        await (await self._client._asend(call)).aclose()

    # stream ----------------------------------------------------------------------------------

    def stream(self, prediction_id: str, *, after_id: str | None = None) -> PredictionStream:
        """The prediction's events as they happen (``for event in ...``), resuming after drops;
        ends after the ``done`` or ``error`` event. Use it as a context manager (or close()) to
        release the connection early."""
        pid = check_prediction_id(prediction_id)
        _check_after_id(after_id)
        return PredictionStream(
            lambda call: self._client._send(call, stream=True),
            pid,
            after_id=after_id,
            has_ended=lambda: is_terminal(self.get(pid).status),
        )

    def async_stream(
        self, prediction_id: str, *, after_id: str | None = None
    ) -> AsyncPredictionStream:
        pid = check_prediction_id(prediction_id)
        _check_after_id(after_id)

        async def has_ended() -> bool:
            return is_terminal((await self.async_get(pid)).status)

        return AsyncPredictionStream(
            lambda call: self._client._asend(call, stream=True),
            pid,
            after_id=after_id,
            has_ended=has_ended,
        )

    # run: create with cancel-on-interrupt -----------------------------------------------------

    @contextlib.contextmanager
    def run(
        self, params: CreatePredictionParams, model: str | ModelRef
    ) -> Iterator[PredictionWithIO]:
        """Create a prediction for the body of a ``with`` block. If the block exits with an
        exception (Ctrl-C, a WaitTimeoutError, your own error) the remote prediction is
        cancelled, so nothing keeps running (and billing) unattended."""
        prediction = self.create(params, model)
        try:
            yield prediction
        except BaseException as exc:
            log.info("cancelling prediction %s after %s", prediction.id, type(exc).__name__)
            try:
                self.cancel(prediction.id)
            except (ConflictError, NotFoundError):
                pass  # it had ended already
            except PredictKitError as cancel_error:
                _note_failed_cancel(exc, prediction.id, cancel_error)
            raise

    @contextlib.asynccontextmanager
    async def async_run(
        self, params: CreatePredictionParams, model: str | ModelRef
    ) -> AsyncIterator[PredictionWithIO]:
        """Async twin of ``run``; also cancels when the task is cancelled."""
        prediction = await self.async_create(params, model)
        try:
            yield prediction
        except BaseException as exc:
            log.info("cancelling prediction %s after %s", prediction.id, type(exc).__name__)
            try:
                await self.async_cancel(prediction.id)
            except (ConflictError, NotFoundError):
                pass
            except PredictKitError as cancel_error:
                _note_failed_cancel(exc, prediction.id, cancel_error)
            raise

    # poller ----------------------------------------------------------------------------------

    def poller(self, continuation_token: str) -> Poller:
        """A handle on a long-running prediction, resumable in another process from its
        ``continuation_token()`` (the prediction id)."""
        return Poller(self, check_prediction_id(continuation_token))

    # download --------------------------------------------------------------------------------

    def download_output(self, url: str, destination: str | os.PathLike[str] | IO[bytes]) -> int:
        """Save an output file to a path (atomically) or a binary stream, in constant memory;
        returns the byte count. Redirects are followed, each hop checked (https, or http on
        loopback); the API token is sent only to the API's own origin."""
        target, headers = _download_target(self._client, url)
        http = self._client._pool.sync()
        request = http.build_request("GET", target, headers=headers, timeout=self._client.timeout)
        try:
            for _ in range(MAX_DOWNLOAD_REDIRECTS + 1):
                response = http.send(request, stream=True, follow_redirects=False)
                try:
                    hop = _next_hop(self._client, response)
                except BaseException:
                    response.close()
                    raise
                if hop is None:
                    break
                response.close()
                request = hop
            else:
                raise _too_many_redirects(target)
            try:
                if not response.is_success:
                    response.read()
                    raise _download_failed(response)
                with _sink(destination) as sink:
                    return sum(sink.write(chunk) for chunk in response.iter_bytes(_CHUNK))
            finally:
                response.close()
        except httpx.RequestError as exc:
            raise _download_error(exc, request.url) from exc

    async def async_download_output(
        self, url: str, destination: str | os.PathLike[str] | IO[bytes]
    ) -> int:
        target, headers = _download_target(self._client, url)
        http = await self._client._pool.for_running_loop()
        request = http.build_request("GET", target, headers=headers, timeout=self._client.timeout)
        try:
            for _ in range(MAX_DOWNLOAD_REDIRECTS + 1):
                response = await http.send(request, stream=True, follow_redirects=False)
                try:
                    hop = _next_hop(self._client, response)
                except BaseException:
                    await response.aclose()
                    raise
                if hop is None:
                    break
                await response.aclose()
                request = hop
            else:
                raise _too_many_redirects(target)
            try:
                if not response.is_success:
                    await response.aread()
                    raise _download_failed(response)
                with _sink(destination) as sink:
                    return sum([sink.write(chunk) async for chunk in response.aiter_bytes(_CHUNK)])
            finally:
                await response.aclose()
        except httpx.RequestError as exc:
            raise _download_error(exc, request.url) from exc


class Poller:
    """A long-running prediction you can check, wait on, or hand to another process.

    ``continuation_token()`` is the prediction id; ``client.predictions.poller(token)`` resumes.
    Every method has an ``async_`` twin.
    """

    def __init__(self, predictions: Predictions, prediction_id: str) -> None:
        self._predictions = predictions
        self.prediction_id = prediction_id
        self._last: PredictionWithIO | None = None

    def continuation_token(self) -> str:
        return self.prediction_id

    def status(self) -> str | None:
        """The status last seen by done() or result(); no request (None before either)."""
        return None if self._last is None else self._last.status

    def done(self) -> bool:
        """Fetch the prediction; whether it has ended."""
        self._last = self._predictions.get(self.prediction_id)
        return is_terminal(self._last.status)

    async def async_done(self) -> bool:
        self._last = await self._predictions.async_get(self.prediction_id)
        return is_terminal(self._last.status)

    def result(
        self, timeout: float | None = None, *, cancel_on_timeout: bool = False
    ) -> PredictionWithIO:
        """Wait (at most ``timeout`` seconds) and return the ended prediction."""
        self._last = self._predictions._wait(
            self.prediction_id,
            self._last,
            WaitOptions(timeout=timeout),
            cancel_on_timeout=cancel_on_timeout,
        )
        return self._last

    async def async_result(
        self,
        timeout: float | None = None,  # noqa: ASYNC109 - result(timeout)'s twin: a wait deadline
        *,
        cancel_on_timeout: bool = False,
    ) -> PredictionWithIO:
        self._last = await self._predictions._async_wait(
            self.prediction_id,
            self._last,
            AsyncWaitOptions(timeout=timeout),
            cancel_on_timeout=cancel_on_timeout,
        )
        return self._last

    def cancel(self) -> None:
        self._predictions.cancel(self.prediction_id)

    async def async_cancel(self) -> None:
        await self._predictions.async_cancel(self.prediction_id)

    def __repr__(self) -> str:
        status = self._last.status if self._last is not None else "unknown"
        return f"Poller(prediction_id={self.prediction_id!r}, status={status!r})"


# --- helpers ---------------------------------------------------------------------------------


class _Hearing:
    """Consume SSE lines for a wait until a terminal event or the deadline (events arriving
    steadily never reset it); report what was heard."""

    def __init__(self, after_id: str | None, deadline: float | None, client: Client) -> None:
        self._client = client
        self._decoder = SSEDecoder()
        self._deadline = deadline
        self._last_id = after_id
        self._events = 0
        self._terminal = False
        self._final: PredictionWithIO | None = None

    def feed(self, line: str) -> bool:
        """True when listening should stop."""
        event = self._decoder.feed(line)
        if event is not None:
            self._events += 1
            self._last_id = event.id or self._last_id
            self._terminal = event.event in TERMINAL_EVENTS
            if self._terminal:
                self._final = _prediction_in(event.data, self._client)
        return self._terminal or (self._deadline is not None and time.monotonic() >= self._deadline)

    def heard(self) -> Heard:
        return Heard(self._last_id, self._events, self._terminal, self._final)


def _prediction_in(data: object, client: Client) -> PredictionWithIO | None:
    """The prediction a terminal event carries, if its data is one (undocumented: the reference
    server sends only ``{"status": ...}``, and then the wait fetches it)."""
    if not isinstance(data, dict) or not {"id", "status", "created_at", "model"} <= data.keys():
        return None
    try:
        prediction = PredictionWithIO.from_dict(data)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    prediction._client = client
    return prediction


def _sent(call: Call, client: Client) -> Sent:
    return Sent.of(call.kwargs["json"], time.monotonic(), time.time())


def _reconcilable(exc: CreateOutcomeUnknownError, client: Client) -> bool:
    """Worth looking for: the prediction's id is not known already, and the client may look."""
    return exc.prediction_id is None and client.reconcile_window > 0


def _reconciling(sent: Sent, client: Client) -> Any:
    known = attrs.evolve(sent, known_ids=client._created.snapshot())
    return reconcile_policy(known, client.reconcile_window)


def _settle(exc: CreateOutcomeUnknownError, found: Found, *, retried: bool) -> str | None:
    """The prediction's id, None to send the create again, or raise: several candidates, or
    none even after the one retry."""
    if found.single is not None:
        log.info("create outcome was unknown; found its prediction %s", found.single)
        return found.single
    if not found.candidates and not retried:
        log.info("create outcome was unknown; it never arrived, sending it again")
        return None
    if found.candidates:
        exc.candidates = found.candidates
        exc.add_note(
            f"predictkit found {len(found.candidates)} predictions that may be this create's: "
            f"{', '.join(found.candidates)}. Check them before creating it again."
        )
    else:
        exc.add_note("predictkit retried it once after finding no prediction; that failed too.")
    raise exc


def _unreconciled(exc: CreateOutcomeUnknownError, failed: PredictKitError) -> PredictKitError:
    exc.add_note(f"predictkit could not look for the prediction it may have created: {failed}")
    return exc


def _id_of_cut_create(response: httpx.Response, exc: httpx.RequestError, call: Call) -> str:
    """A create's 2xx body was cut: the id from Location, or (without one) the error saying the
    outcome is unknown."""
    pid = created_id(response)
    if pid is None:
        raise error_from_exception(exc, response.request, call) from exc
    log.info("create response of %s was cut (%s); fetching it", pid, type(exc).__name__)
    return pid


@contextlib.contextmanager
def _created_but_unread(prediction_id: str) -> Iterator[None]:
    """The prediction exists but could not be read: never let that look retryable."""
    try:
        yield
    except PredictKitError as exc:
        raise CreateOutcomeUnknownError(
            f"Prediction {prediction_id} was created, but reading it failed ({exc}). Do not "
            f"create it again: get it with client.predictions.get({prediction_id!r}).",
            prediction_id=prediction_id,
        ) from exc


def _note_failed_cancel(exc: BaseException, prediction_id: str, error: PredictKitError) -> None:
    """The original exception stays the one raised; the failed cancel is logged and noted."""
    log.warning("could not cancel prediction %s: %s", prediction_id, error)
    exc.add_note(f"predictkit could not cancel prediction {prediction_id}: {error}")


@contextlib.contextmanager
def _tagged(prediction_id: str | None) -> Iterator[None]:
    """Stamp the prediction id on any error leaving this block, so no work is lost: as
    ``prediction_id`` on ours, as a note on others (e.g. raised by an on_poll callback)."""
    try:
        yield
    except PredictKitError as exc:
        if exc.prediction_id is None:
            exc.prediction_id = prediction_id
        raise
    except Exception as exc:
        if prediction_id is not None:
            exc.add_note(f"(while handling prediction {prediction_id})")
        raise


def _list_args(
    options: PaginationOptions | None, statuses: Iterable[str] | None, limit: int | None
) -> tuple[str | None, int | None, list[PredictionStatus] | None]:
    options = options or {}
    unknown = set(options) - {"cursor", "page_size"}
    if unknown:
        raise ValueError(
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
        raise ValueError(f"cursor must be a string from a previous page, not {cursor!r}.")
    return cursor, page_size, _statuses(statuses)


def _page_fields(
    data: PredictionList,
) -> tuple[list[Prediction], str | None, str | None, str | None, str | None]:
    def url(value: object) -> str | None:
        return value if isinstance(value, str) else None

    return (
        data.items,
        data.next_cursor,
        data.previous_cursor,
        url(data.next_url),
        url(data.previous_url),
    )


@contextlib.contextmanager
def _sink(destination: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    """A binary stream to write to; for a path, a temporary file renamed into place on success
    (no half-written file is ever left at the destination)."""
    if not isinstance(destination, str | os.PathLike):
        yield destination
        return
    path = Path(destination)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _download_error(exc: httpx.RequestError, url: httpx.URL) -> APIConnectionError:
    where = _no_query(url)
    return APIConnectionError(
        f"Downloading {where} failed ({type(exc).__name__}: {exc}).", method="GET", url=str(where)
    )
