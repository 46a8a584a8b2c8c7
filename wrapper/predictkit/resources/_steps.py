"""The executors of the prediction policies: they perform, sync or async, the steps that the
I/O-free generators ask for (create and reconcile: ``_creating``; wait: predictkit.waiting;
cancel: ``cancel_policy`` below). Each is a ``match`` with ``assert_never``, so mypy checks that
every step is handled; everything is sent through ``API``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any, assert_never

import attrs
import httpx
from predictkit_api.models.prediction_list import PredictionList

from predictkit import _aio
from predictkit._api import API
from predictkit._body import aread_body, read_body, timed_out
from predictkit._cancelling import ended_or_raise, may_mean_already_ended, unconfirmed
from predictkit._error_map import parse_body
from predictkit._errors import APIStatusError, PredictKitError
from predictkit._prediction import PredictionWithIO
from predictkit._schedule import RunTimes
from predictkit.reconcile import PAGE_SIZE, Inspect, ListNewest, Pause
from predictkit.resources._creating import (
    CreateStep,
    Send,
    SendCreate,
    aopen_create,
    body_deadline,
    id_of_cut_create,
    open_create,
    tagged,
)
from predictkit.resources._listening import alisten, listen
from predictkit.resources._prediction_calls import (
    NO_OPTIONS,
    PerCall,
    cancel_call,
    checked_wait_options,
    created_id,
    deadline_in,
    get_call,
    list_call,
)
from predictkit.waiting import (
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
from predictkit.waiting import Step as WaitStep

Parse = Callable[[httpx.Response], PredictionWithIO]
Bind = Callable[[PredictionWithIO], PredictionWithIO]


def cancel_policy(
    prediction_id: str,
    budget: float | None,
    parse: Callable[[httpx.Response], PredictionWithIO],
    per_call: PerCall = NO_OPTIONS,
) -> Generator[Send, Any, PredictionWithIO | None]:
    """Cancel, idempotently: a refusal that may mean "already ended" is checked by reading the
    prediction -> the ended prediction then, None when the API took the cancel."""
    call = cancel_call(prediction_id, deadline_in(budget), per_call)
    try:
        yield Send(call, _closed)
    except APIStatusError as refused:
        if not may_mean_already_ended(refused):
            raise
        try:
            current = yield Send(get_call(prediction_id, call.deadline), parse)
        except PredictKitError as exc:
            raise unconfirmed(refused, exc) from exc
        return ended_or_raise(current, refused)
    return None


def _closed(response: httpx.Response) -> None:
    """The cancel's body is not needed (``send`` has read and closed it)."""


def _listing(response: httpx.Response) -> tuple[PredictionList, str | None]:
    """A page of predictions and the server's Date (reconciliation measures time by it)."""
    return parse_body(response, PredictionList.from_dict), response.headers.get("date")


@attrs.frozen
class WaitPlan:
    """A wait, checked and ready to drive: whose, with which options, and its policy."""

    prediction_id: str
    options: WaitOptions | AsyncWaitOptions
    policy: Generator[WaitStep, Any, PredictionWithIO]


def plan_wait(
    prediction_id: str,
    first: PredictionWithIO | None,
    options: object,
    sync: bool,
    cancel_on_timeout: bool = False,
    *,
    started: float | None = None,
    run_times: RunTimes | None = None,
) -> WaitPlan:
    """Check a wait's options (nothing is sent on bad ones) and start its policy
    (predictkit.waiting): ``first`` is a prediction already in hand (no first fetch; without
    one the wait listens first); ``run_times`` the client's memory of models' run times."""
    opts = checked_wait_options(options, sync=sync)
    policy = wait_policy(
        first,
        opts,
        cancel_on_timeout=cancel_on_timeout,
        started=started,
        listen_first=first is None,
        run_times=run_times,
    )
    return WaitPlan(prediction_id, opts, policy)


class Steps:
    """Performs policy steps over ``api``; ``parse`` reads a prediction (bound to the client)."""

    def __init__(self, api: API, parse: Parse, bind: Bind) -> None:
        self._api = api
        self._parse = parse
        self._bind = bind

    def _bound(self, heard: Heard) -> Heard:
        """A final event's prediction, bound to the client like every prediction returned."""
        if isinstance(heard.prediction, PredictionWithIO):
            self._bind(heard.prediction)
        return heard

    def create(self, step: CreateStep) -> Any:
        match step:
            case SendCreate(call=call):
                response = open_create(self._api, call)
                with tagged(created_id(response)):
                    try:
                        limit = self._api.max_response_bytes
                        read_body(response, deadline=body_deadline(self._api, call), limit=limit)
                    except httpx.RequestError as exc:
                        return id_of_cut_create(response, exc, call)
                    return self._parse(response)
            case Send(call=call, parse=parse):
                return self._api.send(call, parse)
            case ListNewest(cursor=cursor):
                return self._api.send(list_call(cursor, PAGE_SIZE, None), _listing)
            case Inspect(prediction_id=pid):
                return self._api.send(get_call(pid), self._parse).to_dict()
            case Pause(seconds=seconds):
                time.sleep(seconds)
                return None
            case _:
                assert_never(step)

    async def acreate(self, step: CreateStep) -> Any:
        match step:
            case SendCreate(call=call):
                response = await aopen_create(self._api, call)
                ends = body_deadline(self._api, call)
                with tagged(created_id(response)):
                    try:
                        try:
                            async with _aio.deadline(ends):
                                limit = self._api.max_response_bytes
                                await aread_body(response, deadline=ends, limit=limit)
                        except _aio.Expired:
                            raise timed_out(response.request) from None
                    except httpx.RequestError as exc:
                        return id_of_cut_create(response, exc, call)
                    return self._parse(response)
            case Send(call=call, parse=parse):
                return await self._api.asend(call, parse)
            case ListNewest(cursor=cursor):
                return await self._api.asend(list_call(cursor, PAGE_SIZE, None), _listing)
            case Inspect(prediction_id=pid):
                return (await self._api.asend(get_call(pid), self._parse)).to_dict()
            case Pause(seconds=seconds):
                await _aio.sleep(seconds)
                return None
            case _:
                assert_never(step)

    def wait(self, plan: WaitPlan, step: WaitStep) -> Any:
        pid, opts = plan.prediction_id, plan.options
        match step:
            case Fetch(budget=budget):
                return self._api.send(get_call(pid, deadline_in(budget)), self._parse)
            case Listen():
                return self._bound(listen(self._api, pid, step))
            case Sleep(seconds=seconds):
                time.sleep(seconds)
                return None
            case Notify(prediction=prediction):
                if opts.on_poll is not None:
                    opts.on_poll(prediction)
                return None
            case Cancel(budget=budget):
                return drive(cancel_policy(pid, budget, self._parse), self.create)
            case _:
                assert_never(step)

    async def await_step(self, plan: WaitPlan, step: WaitStep) -> Any:
        pid, opts = plan.prediction_id, plan.options
        match step:
            case Fetch(budget=budget):
                return await self._api.asend(get_call(pid, deadline_in(budget)), self._parse)
            case Listen():
                return self._bound(await alisten(self._api, pid, step))
            case Sleep(seconds=seconds):
                await _aio.sleep(seconds)
                return None
            case Notify(prediction=prediction):
                outcome = None if opts.on_poll is None else opts.on_poll(prediction)
                if outcome is not None:
                    await outcome
                return None
            case Cancel(budget=budget):
                policy = cancel_policy(pid, budget, self._parse)
                return await adrive(policy, self.acreate)
            case _:
                assert_never(step)

    # get -------------------------------------------------------------------------------------
