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
import types
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

import httpx

from predictkit._api import API, Timeout
from predictkit._cancelling import cancelling_after
from predictkit._error_map import parse_body
from predictkit._errors import ResponseParseError
from predictkit._prediction import ListedPrediction, PredictionWithIO
from predictkit._schedule import RunTimes
from predictkit._types import CreatePredictionParams, PaginationOptions, Status
from predictkit.model_ref import ModelRef
from predictkit.pagination import AsyncPaginator, Page
from predictkit.resources._binding import apaged, paged
from predictkit.resources._creating import Creating, Reconciling, tagged
from predictkit.resources._downloads import adownload, download
from predictkit.resources._pages import page_reader
from predictkit.resources._poller import Poller
from predictkit.resources._prediction_calls import (
    PerCall,
    check_prediction_id,
    checked_id,
    created_but_unreadable,
    get_call,
    list_plan,
)
from predictkit.resources._raw import PredictionsWithRawResponse
from predictkit.resources._steps import Steps, WaitPlan, cancel_policy, plan_wait
from predictkit.resources._streams import aopen_stream, open_stream
from predictkit.streaming import AsyncPredictionStream, PredictionStream
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
        self._page = page_reader(client)  # a list page, its items bound to this client

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
        creating = Creating(self, params, model, wait, wait_options, per_call, sync=True)
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
        creating = Creating(self, params, model, wait, wait_options, per_call, sync=False)
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
        return open_stream(
            self._api,
            self._prediction,
            prediction_id,
            after_id=after_id,
            timeout=timeout,
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
        return aopen_stream(
            self._api,
            self._prediction,
            prediction_id,
            after_id=after_id,
            timeout=timeout,
            extra_headers=extra_headers,
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
