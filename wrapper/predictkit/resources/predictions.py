"""client.predictions: create, get, list, wait, cancel, stream, run, poll, download.

Every method has an ``async_`` twin with the same parameters, a line or two over the same
pure pieces: requests are built and checked in ``_prediction_calls``; creating (and settling an
unknown outcome), waiting and cancelling are I/O-free step generators (``_creating``,
predictkit.waiting, ``_cancel_policy``) whose steps the two executors below perform, each a
``match`` that mypy checks is exhaustive. Everything is sent through ``API`` (predictkit._api).
The per-call options ``timeout=`` and ``extra_headers=`` and the ``with_raw_response`` view
follow the generated resources.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
import types
from collections.abc import AsyncIterator, Generator, Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

import attrs
import httpx
from predictkit_api.models.prediction_list import PredictionList

from predictkit._api import API, Call, Timeout
from predictkit._cancelling import cancelling_after
from predictkit._error_map import parse_body, parse_data
from predictkit._errors import ResponseParseError
from predictkit._prediction import ListedPrediction, PredictionWithIO
from predictkit._schedule import RunTimes
from predictkit._types import CreatePredictionParams, PaginationOptions, Status, is_terminal
from predictkit.model_ref import ModelRef
from predictkit.pagination import AsyncPaginator, Page, Unparsed
from predictkit.resources._binding import Binding, apaged, paged
from predictkit.resources._creating import (
    CreateStep,
    Reconciling,
    create_policy,
    tagged,
)
from predictkit.resources._downloads import adownload, download
from predictkit.resources._poller import Poller
from predictkit.resources._prediction_calls import (
    PerCall,
    check_after_id,
    check_prediction_id,
    checked_id,
    create_plan,
    created_but_unreadable,
    get_call,
    list_plan,
)
from predictkit.resources._steps import Steps, WaitPlan, cancel_policy, plan_wait
from predictkit.streaming import (
    DEFAULT_IDLE,
    AsyncPredictionStream,
    PredictionStream,
    check_stream_timeout,
    stream_call,
)
from predictkit.waiting import (
    DEFAULT_ASYNC_WAIT_OPTIONS,
    DEFAULT_WAIT_OPTIONS,
    AsyncWaitOptions,
    WaitOptions,
    adrive,
    drive,
)

if TYPE_CHECKING:
    from predictkit import batch
    from predictkit._client import Client

__all__ = ["Poller", "Predictions", "PredictionsWithRawResponse"]

Headers = Mapping[str, str] | None


def _split_page(data: dict[str, Any]) -> tuple[list[Any], PredictionList]:
    """A page's items, unread, and its other fields read by the generated model (which also
    judges an ``items`` that is not a list: it refuses any but an empty one)."""
    items = data["items"]
    if not isinstance(items, list):
        return [], PredictionList.from_dict(data)
    return items, PredictionList.from_dict({**data, "items": []})


class _FromBatch:
    """A method of predictkit.batch, imported on first use: a get or a list never loads the
    batch machinery (its threads, journal and pacing)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        from predictkit import batch  # noqa: PLC0415 - on first use, see above

        method = getattr(batch, self._name)
        return method if instance is None else types.MethodType(method, instance)


class Predictions:
    """Predictions: ``client.predictions``."""

    def __init__(
        self, client: Client, api: API, reconciling: Reconciling, run_times: RunTimes
    ) -> None:
        self._client = client  # what its predictions are bound to, and client.uploads
        self._api = api
        self._reconciling = reconciling
        self._run_times = run_times
        self._steps = Steps(api, self._prediction, self._bind)

    @property
    def with_raw_response(self) -> PredictionsWithRawResponse:
        """The same calls, each returning a RawResponse (headers, status, ``.parsed``)."""
        return PredictionsWithRawResponse(self)

    if TYPE_CHECKING:
        create_many = batch.create_many  # many inputs at the account's rate limit
        async_create_many = batch.async_create_many
    else:
        create_many = _FromBatch("create_many")
        async_create_many = _FromBatch("async_create_many")

    def _prediction(self, response: httpx.Response) -> PredictionWithIO:
        try:
            prediction = parse_body(response, PredictionWithIO.from_dict)
            checked_id(response, prediction.id)
        except ResponseParseError as error:
            created_but_unreadable(response, error)
            raise
        return self._bind(prediction)

    def _bind(self, prediction: PredictionWithIO) -> PredictionWithIO:
        """Bind a prediction to this client (its reload(), wait() and cancel() send here)."""
        prediction._client = self._client
        return prediction

    def _page(
        self, response: httpx.Response
    ) -> tuple[Unparsed[ListedPrediction], str | None, str | None, str | None, str | None]:
        """A page's fields; its items are parsed (and bound) only when reached."""
        raw, data = parse_body(response, _split_page)

        def url(value: object) -> str | None:
            return value if isinstance(value, str) else None

        def item(each: object) -> ListedPrediction:
            listed = parse_data(response, each, ListedPrediction.from_dict)
            listed._client = self._client
            return listed

        return (
            Unparsed(raw, item),
            data.next_cursor,
            data.previous_cursor,
            url(data.next_url),
            url(data.previous_url),
        )

    def get(
        self, prediction_id: str, *, timeout: Timeout | None = None, extra_headers: Headers = None
    ) -> PredictionWithIO:
        """The prediction with its input, output and error."""
        call = get_call(prediction_id, None, PerCall(timeout, extra_headers))
        return self._api.send(call, self._prediction)

    async def async_get(
        self,
        prediction_id: str,
        *,
        timeout: Timeout | None = None,  # noqa: ASYNC109 - the call's HTTP timeout, as sync
        extra_headers: Headers = None,
    ) -> PredictionWithIO:
        call = get_call(prediction_id, None, PerCall(timeout, extra_headers))
        return await self._api.asend(call, self._prediction)

    # create ----------------------------------------------------------------------------------

    def create(
        self,
        params: CreatePredictionParams,
        model: str | ModelRef,
        wait: bool = False,
        wait_options: WaitOptions | None = DEFAULT_WAIT_OPTIONS,
        *,
        timeout: Timeout | None = None,
        extra_headers: Headers = None,
    ) -> PredictionWithIO:
        """Start a prediction on ``model`` (``owner/name`` or ``owner/name:version``).

        With ``wait=True`` the server is first asked to hold the response until the prediction
        ends (``Prefer: wait``); only if it is still running does the client wait on, within
        ``wait_options.timeout`` counted from this call. Never retried in a way that could run
        the prediction twice (see CreateOutcomeUnknownError). ``timeout`` bounds the create
        call itself (each attempt), ``extra_headers`` go with it.
        """
        per_call = PerCall(timeout, extra_headers)
        creating = _Creating(self, params, model, wait, wait_options, per_call, sync=True)
        policy = creating.policy(self._client.uploads.resolve_params(params))
        prediction = drive(policy, self._steps.create)
        return self._wait(creating.wait_plan(prediction)) if wait else prediction

    async def async_create(
        self,
        params: CreatePredictionParams,
        model: str | ModelRef,
        wait: bool = False,
        wait_options: AsyncWaitOptions | WaitOptions | None = DEFAULT_ASYNC_WAIT_OPTIONS,
        *,
        timeout: Timeout | None = None,  # noqa: ASYNC109 - the call's HTTP timeout, as sync
        extra_headers: Headers = None,
    ) -> PredictionWithIO:
        per_call = PerCall(timeout, extra_headers)
        creating = _Creating(self, params, model, wait, wait_options, per_call, sync=False)
        policy = creating.policy(await self._client.uploads.async_resolve_params(params))
        prediction = await adrive(policy, self._steps.acreate)
        return await self._async_wait(creating.wait_plan(prediction)) if wait else prediction

    # wait ------------------------------------------------------------------------------------

    def wait(
        self,
        predictionID: str,
        options: WaitOptions | None = DEFAULT_WAIT_OPTIONS,
        *,
        cancel_on_timeout: bool = False,
    ) -> PredictionWithIO:
        """Block until the prediction ends; return it. See predictkit.waiting for how."""
        pid = check_prediction_id(predictionID)
        plan = self._plan_wait(pid, None, options, True, cancel_on_timeout=cancel_on_timeout)
        return self._wait(plan)

    async def async_wait(
        self,
        predictionID: str,
        options: AsyncWaitOptions | WaitOptions | None = DEFAULT_ASYNC_WAIT_OPTIONS,
        *,
        cancel_on_timeout: bool = False,
    ) -> PredictionWithIO:
        pid = check_prediction_id(predictionID)
        plan = self._plan_wait(pid, None, options, False, cancel_on_timeout)
        return await self._async_wait(plan)

    def _plan_wait(
        self,
        prediction_id: str,
        first: PredictionWithIO | None,
        options: object,
        sync: bool,
        cancel_on_timeout: bool = False,
        *,
        started: float | None = None,
    ) -> WaitPlan:
        """plan_wait with this client's memory of run times (polls aimed at a model's usual
        end); a wait on an id with nothing in hand listens before it fetches."""
        return plan_wait(
            prediction_id,
            first,
            options,
            sync,
            cancel_on_timeout,
            started=started,
            run_times=self._run_times,
        )

    def _wait(self, plan: WaitPlan) -> PredictionWithIO:
        with tagged(plan.prediction_id):
            return drive(plan.policy, functools.partial(self._steps.wait, plan))

    async def _async_wait(self, plan: WaitPlan) -> PredictionWithIO:
        with tagged(plan.prediction_id):
            return await adrive(plan.policy, functools.partial(self._steps.await_step, plan))

    # list ------------------------------------------------------------------------------------

    def list(
        self,
        pagination_options: PaginationOptions | None = None,
        *,
        statuses: Iterable[Status | str] | None = None,
        limit: int | None = None,
        timeout: Timeout | None = None,
        extra_headers: Headers = None,
    ) -> Page[ListedPrediction]:
        """Your predictions, newest first: the first page (``items``, cursors) which, iterated,
        walks every item across pages lazily (at most ``limit``). ``statuses`` filters;
        ``pagination_options`` = {cursor, page_size (5-50)} resumes from a saved cursor."""
        plan = list_plan(pagination_options, statuses, limit, PerCall(timeout, extra_headers))
        return paged(plan.cursor, limit, lambda at: self._api.send(plan.call(at), self._page))

    def async_list(
        self,
        pagination_options: PaginationOptions | None = None,
        *,
        statuses: Iterable[Status | str] | None = None,
        limit: int | None = None,
        timeout: Timeout | None = None,
        extra_headers: Headers = None,
    ) -> AsyncPaginator[ListedPrediction]:
        """``await`` it for the first page, or ``async for`` over every item (see ``list``)."""
        plan = list_plan(pagination_options, statuses, limit, PerCall(timeout, extra_headers))
        return apaged(plan.cursor, limit, lambda at: self._api.asend(plan.call(at), self._page))

    # cancel ----------------------------------------------------------------------------------

    def cancel(
        self, prediction_id: str, *, timeout: Timeout | None = None, extra_headers: Headers = None
    ) -> None:
        """Ask the API to stop the prediction. Idempotent: repeating it, or cancelling a
        prediction that has already ended, returns as a successful cancel does (read the
        prediction's status to know how it ended)."""
        policy = cancel_policy(
            prediction_id, None, self._prediction, PerCall(timeout, extra_headers)
        )
        drive(policy, self._steps.create)

    async def async_cancel(
        self,
        prediction_id: str,
        *,
        timeout: Timeout | None = None,  # noqa: ASYNC109 - the call's HTTP timeout, as sync
        extra_headers: Headers = None,
    ) -> None:
        policy = cancel_policy(
            prediction_id, None, self._prediction, PerCall(timeout, extra_headers)
        )
        await adrive(policy, self._steps.acreate)

    # stream ----------------------------------------------------------------------------------

    def stream(
        self,
        prediction_id: str,
        *,
        after_id: str | None = None,
        timeout: float | None = None,
        extra_headers: Headers = None,
    ) -> PredictionStream:
        """The prediction's events as they happen (``for event in ...``), resuming after drops;
        ends after the ``done`` or ``error`` event. Use it as a context manager (or close()) to
        release the connection early. ``timeout`` (seconds, default none: a prediction may run
        for hours) bounds the whole stream from the first event asked for, reconnects
        included: at it the iterator raises APITimeoutError (resume with ``after_id=``
        ``last_event_id``). ``extra_headers`` go with every request the stream makes."""
        pid, seconds, get = self._stream_plan(prediction_id, after_id, timeout, extra_headers)

        def has_ended(deadline: float | None) -> bool:
            call = get_call(pid, deadline, get)
            return is_terminal(self._api.send(call, self._prediction).status)

        return PredictionStream(
            self._api.open,
            pid,
            after_id=after_id,
            has_ended=has_ended,
            max_event_bytes=self._api.max_response_bytes,
            timeout=seconds,
            extra_headers=extra_headers,
        )

    def async_stream(
        self,
        prediction_id: str,
        *,
        after_id: str | None = None,
        timeout: float | None = None,
        extra_headers: Headers = None,
    ) -> AsyncPredictionStream:
        pid, seconds, get = self._stream_plan(prediction_id, after_id, timeout, extra_headers)

        async def has_ended(deadline: float | None) -> bool:
            call = get_call(pid, deadline, get)
            return is_terminal((await self._api.asend(call, self._prediction)).status)

        return AsyncPredictionStream(
            self._api.aopen,
            pid,
            after_id=after_id,
            has_ended=has_ended,
            max_event_bytes=self._api.max_response_bytes,
            timeout=seconds,
            extra_headers=extra_headers,
        )

    @staticmethod
    def _stream_plan(
        prediction_id: str, after_id: str | None, timeout: object, extra_headers: Headers
    ) -> tuple[str, float | None, PerCall]:
        """Check a stream's arguments before anything is sent: the prediction id, the whole
        stream's timeout in seconds, and the options of the GET that checks whether the
        prediction ended (the headers; the client's per-request timeout, cut by the stream's
        deadline)."""
        pid = check_prediction_id(prediction_id)
        check_after_id(after_id)
        seconds = check_stream_timeout(timeout)
        stream_call(pid, after_id, DEFAULT_IDLE, extra_headers=extra_headers)  # checks headers
        return pid, seconds, PerCall(None, extra_headers)

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
            with cancelling_after(exc, prediction.id):
                self.cancel(prediction.id)  # idempotent: an ended prediction is fine
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
            with cancelling_after(exc, prediction.id):
                await self.async_cancel(prediction.id)
            raise

    # poller ----------------------------------------------------------------------------------

    def poller(self, continuation_token: str) -> Poller:
        """A handle on a long-running prediction, resumable in another process from its
        ``continuation_token()`` (the prediction id)."""
        return Poller(self, check_prediction_id(continuation_token))

    # download --------------------------------------------------------------------------------

    def download_output(
        self,
        url: str,
        destination: str | os.PathLike[str] | IO[bytes],
        *,
        timeout: float | None = None,
        stall_timeout: float | None = None,
    ) -> int:
        """Save an output file to a path (atomically; an existing file keeps its mode) or a
        binary stream, in constant memory; returns the byte count. ``timeout`` bounds the whole
        download (default none: files may be large); ``stall_timeout`` ends it when no byte
        arrives for that long (default: the client's read timeout). Redirects are followed,
        each hop checked (https, or http on loopback, never https to http); the API token is
        sent only to the API's own origin."""
        return download(self._api, url, destination, timeout, stall_timeout)

    async def async_download_output(
        self,
        url: str,
        destination: str | os.PathLike[str] | IO[bytes],
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - the download's own deadline, as sync
        stall_timeout: float | None = None,
    ) -> int:
        return await adownload(self._api, url, destination, timeout, stall_timeout)


@attrs.define
class _Creating:
    """What ``create`` and ``async_create`` share around their I/O. Built, it checks every
    argument (nothing is sent on bad input, no file uploaded); ``policy`` is the create once
    the input's files are uploaded (a wait's time counts from then); ``wait_plan`` the wait
    after it. Even a prediction that is already terminal goes through the wait: on_poll sees
    the final state, and no request is sent."""

    predictions: Predictions
    params: CreatePredictionParams
    model: str | ModelRef
    wait: bool
    options: object
    per_call: PerCall
    sync: bool
    started: float = 0.0
    checked: WaitOptions | AsyncWaitOptions | None = None

    def __attrs_post_init__(self) -> None:
        self._plan(self.params, time.monotonic())

    def _plan(
        self, params: CreatePredictionParams, started: float
    ) -> tuple[Call, WaitOptions | AsyncWaitOptions]:
        model, wait, options, sync = self.model, self.wait, self.options, self.sync
        return create_plan(params, model, wait, options, started, sync=sync, per_call=self.per_call)

    def policy(
        self, params: CreatePredictionParams
    ) -> Generator[CreateStep, Any, PredictionWithIO]:
        self.started = time.monotonic()
        call, self.checked = self._plan(params, self.started)
        predictions = self.predictions
        return create_policy(call, predictions._reconciling, predictions._prediction)

    def wait_plan(self, prediction: PredictionWithIO) -> WaitPlan:
        return self.predictions._plan_wait(
            prediction.id, prediction, self.checked, self.sync, started=self.started
        )


class PredictionsWithRawResponse:
    """``client.predictions.with_raw_response``: get, create, list and cancel (and their
    ``async_`` twins), each returning a RawResponse: ``.headers`` (x-request-id,
    x-ratelimit-remaining...), ``.status_code`` and ``.parsed``. For a create that waits, the
    response is the last one read."""

    def __init__(self, predictions: Predictions) -> None:
        binding = Binding(predictions._api)
        self.get = binding.raw(predictions.get)
        self.async_get = binding.async_raw(predictions.async_get)
        self.create = binding.raw(predictions.create)
        self.async_create = binding.async_raw(predictions.async_create)
        self.list = binding.raw(predictions.list)
        self.async_list = binding.async_raw_pages(predictions.async_list)
        self.cancel = binding.raw(predictions.cancel)
        self.async_cancel = binding.async_raw(predictions.async_cancel)
