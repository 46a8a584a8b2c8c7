"""Creating a prediction: the write that may not be repeated, and the steps that settle it.

A create is sent once. If its outcome is unknown (CreateOutcomeUnknownError without an id), the
client looks for the prediction (predictkit.reconcile) and returns it, or sends the create once
more if it provably never arrived. A 2xx whose body is cut still names the prediction in its
``Location``: it is fetched rather than reported unknown.

Like the wait, this is an I/O-free step generator (``create_policy``); the resource's sync and
async executors perform its steps (``SendCreate``, ``Send``, and the reconcile steps).
``Creating`` is what ``create`` and ``async_create`` share around that: the checks, the
create once the input's files are uploaded, and the wait after it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from predictkit._api import API, Call
from predictkit._call import PREDICTION_CREATE
from predictkit._error_map import error_from_exception
from predictkit._errors import CreateOutcomeUnknownError, NotFoundError, PredictKitError
from predictkit._prediction import PredictionWithIO
from predictkit._types import CreatePredictionParams
from predictkit.model_ref import ModelRef
from predictkit.reconcile import (
    CreatedLedger,
    Found,
    Inspect,
    ListNewest,
    Pause,
    Sent,
    reconcile_policy,
)
from predictkit.resources._prediction_calls import PerCall, create_plan, created_id, get_call

if TYPE_CHECKING:
    from predictkit.resources._steps import WaitPlan
    from predictkit.resources.predictions import Predictions
    from predictkit.waiting import AsyncWaitOptions, WaitOptions

log = logging.getLogger("predictkit")


@attrs.frozen
class Reconciling:
    """What the creates of a Client and its with_options() copies share: the ids they returned
    (never claimed by a reconciliation) and how long an unknown outcome is looked for."""

    created: CreatedLedger
    window: float


@attrs.frozen
class SendCreate:
    """Send the create and read its body -> the prediction, or (a str) the id of a prediction
    that was created but whose body was cut."""

    call: Call


@attrs.frozen
class Send:
    """Send a call to the API -> ``parse(response)``."""

    call: Call
    parse: Callable[[httpx.Response], Any]


CreateStep = SendCreate | Send | ListNewest | Inspect | Pause


def create_policy(
    call: Call, reconciling: Reconciling, parse: Callable[[httpx.Response], PredictionWithIO]
) -> Generator[CreateStep, Any, PredictionWithIO]:
    """Send ``call``; if its outcome is unknown, find out: the prediction it made, or one more
    send if it never arrived (at most two sends: ``_settle`` raises rather than ask a third)."""
    sent, retried = Sent.of(call.kwargs["json"], time.monotonic(), time.time()), False
    first_attempts = 0  # how many times the first send went out, once it is retried
    while True:
        try:
            outcome = yield SendCreate(call)
            if isinstance(outcome, str):  # created, body cut: fetch it, never re-create it
                with _created_but_unread(outcome):
                    outcome = yield Send(get_call(outcome), parse)
            prediction: PredictionWithIO = outcome
        except CreateOutcomeUnknownError as exc:
            if exc.prediction_id is not None or reconciling.window <= 0:
                raise
            known = attrs.evolve(sent, known_ids=reconciling.created.snapshot())
            try:
                found = yield from reconcile_policy(known, reconciling.window)
            except PredictKitError as failed:
                exc.add_note(
                    f"predictkit could not look for the prediction it may have created: {failed}"
                )
                raise exc from failed
            if retried:
                _count_both_sends(exc, call, first_attempts)
            pid = _settle(exc, found, retried=retried)
            if pid is None:
                retried, first_attempts = True, exc.attempts or 1
                continue
            prediction = yield Send(get_call(pid), parse)
        reconciling.created.add(prediction.id)
        return prediction


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
    raise exc  # after a second send, _count_both_sends has said so


def _count_both_sends(exc: CreateOutcomeUnknownError, call: Call, first_attempts: int) -> None:
    """The create was sent again after reconciliation found nothing, and that failed too: the
    error's message and ``attempts`` tell both sends, not only the last (which alone would say
    it was never retried)."""
    once = call.write_once or PREDICTION_CREATE
    cause = exc.__cause__
    how = (
        f"{exc.status_code}"
        if exc.status_code is not None
        else type(cause).__name__
        if cause is not None
        else "an unknown outcome"
    )
    path = httpx.URL(exc.url).path if exc.url else "the create"
    exc.attempts = first_attempts + (exc.attempts or 1)
    exc.message = (
        f"{exc.method or 'POST'} {path}: {once.what} may or may not have been created. Its first "
        f"send had an unknown outcome; predictkit found no prediction from it and sent it once "
        f"more, which failed too ({how}). It was not sent a third time, to avoid "
        f"{once.repeat}: {once.check} before retrying."
    )


def open_create(api: API, call: Call) -> httpx.Response:
    with _naming_model(call):
        return api.open(call)


async def aopen_create(api: API, call: Call) -> httpx.Response:
    with _naming_model(call):
        return await api.aopen(call)


def body_deadline(api: API, call: Call) -> float | None:
    """When the create's 2xx body must have been read."""
    return call.response_deadline(call.timeout or api.timeout)


def id_of_cut_create(response: httpx.Response, exc: httpx.RequestError, call: Call) -> str:
    """A create's 2xx body was cut: the id from Location (the prediction exists: it is fetched,
    never created again), or without one the error saying the outcome is unknown."""
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


@contextlib.contextmanager
def _naming_model(call: Call) -> Iterator[None]:
    """A create's 404 is about the model: say which one."""
    try:
        yield
    except NotFoundError as exc:
        model = call.kwargs["json"]["model"]
        exc.message += (
            f" No model {model!r} is visible to this token: check the owner, the name and the "
            "version (without one, the latest is used)."
        )
        raise


@contextlib.contextmanager
def tagged(prediction_id: str | None) -> Iterator[None]:
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


@attrs.define
class Creating:
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
