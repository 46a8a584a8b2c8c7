"""Many predictions at the account's rate limit: ``client.predictions.create_many``.

Inputs come from any iterable, read lazily: at most ``concurrency`` creates run at once and at
most a few times that many results wait to be handed out, so memory stays flat however many
inputs there are. Each create goes through the public ``create``/``async_create`` (which
reconciles a create whose answer was lost) after a slot from the client's shared create pacer
(predictkit._ratelimit): every thread and task using the client draws from it, and it follows
the ``x-ratelimit-*`` headers of every response, so the batch runs at the account's limit
without provoking 429s. A 429 that still happens (another process on the account) holds the
pacer and the create is sent again: a 429 means nothing was created.

Results come back in input order (``ordered=True``) or as they complete; an input that fails
gives a result with its ``error`` (and the ``prediction_id`` when the prediction exists, e.g. a
wait that timed out) instead of stopping the batch. With a ``journal`` path a crashed batch,
run again with the same inputs, skips what was created and finds what may have been
(predictkit._journal).

Here: the public methods, and the threads (sync) or tasks (async) that drive each input's steps
and hand the results out in order or as they complete. The run's state, its results and the
step generators themselves are I/O-free, in predictkit._batching.
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import closing
from typing import TYPE_CHECKING, Any, assert_never

from predictkit import _aio
from predictkit._batching import BatchProgress, BatchResult, Create, Run, Step, creating
from predictkit._errors import InvalidInputError, InvalidInputTypeError, PredictKitError
from predictkit._journal import Journal
from predictkit.model_ref import ModelRef
from predictkit.reconcile import PAGE_SIZE, Inspect, ListNewest, Pause
from predictkit.waiting import adrive, drive

if TYPE_CHECKING:
    import os

    from predictkit._client import Client
    from predictkit._types import CreatePredictionParams, PaginationOptions

__all__ = ["BatchProgress", "BatchResult"]

DEFAULT_CONCURRENCY = 8
ITEM_ERRORS = (PredictKitError, ValueError, TypeError)
"""What one bad input or failed create may raise without stopping the batch."""


def _newest(cursor: str | None) -> PaginationOptions:
    return {"page_size": PAGE_SIZE, "cursor": cursor} if cursor else {"page_size": PAGE_SIZE}


# --- sync ------------------------------------------------------------------------------------


def _step(run: Run, step: Step) -> Any:
    predictions = run.client.predictions
    match step:
        case Create(params=params):
            return predictions.create(params, run.model, wait=run.wait)
        case ListNewest(cursor=cursor):
            return predictions.list(_newest(cursor)), None
        case Inspect(prediction_id=pid):
            return predictions.get(pid).to_dict()
        case Pause(seconds=seconds):
            time.sleep(seconds)
            return None
        case _:
            assert_never(step)


def _create_one(run: Run, index: int, params: CreatePredictionParams) -> BatchResult:
    try:
        return drive(creating(run, index, params), functools.partial(_step, run))
    except ITEM_ERRORS as exc:
        return run.finish(index, None, exc)


def run_sync(
    run: Run, inputs: Iterable[CreatePredictionParams], *, ordered: bool
) -> Iterator[BatchResult]:
    from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait  # noqa: PLC0415

    with closing(run):  # the journal, however the iteration ends
        for search in run.open_searches():
            drive(search, functools.partial(_step, run))
        items = iter(enumerate(inputs))
        pending: deque[Future[BatchResult]] = deque()
        with ThreadPoolExecutor(run.concurrency, thread_name_prefix="predictkit-batch") as pool:
            try:
                while True:
                    limit = run.window if ordered else run.concurrency
                    for index, params in items:
                        resumed = run.resumed(index)
                        if resumed is not None:
                            future: Future[BatchResult] = Future()
                            future.set_result(resumed)
                        else:
                            future = pool.submit(_create_one, run, index, params)
                        pending.append(future)
                        if len(pending) >= limit:
                            break
                    if not pending:
                        return
                    if ordered:
                        first = pending.popleft()
                    else:
                        done, _ = wait(pending, return_when=FIRST_COMPLETED)
                        first = next(f for f in pending if f in done)
                        pending.remove(first)
                    yield run.counted(first.result(), len(pending))
            finally:
                for future in pending:
                    future.cancel()


# --- async -----------------------------------------------------------------------------------


async def _astep(run: Run, step: Step) -> Any:
    predictions = run.client.predictions
    match step:
        case Create(params=params):
            return await predictions.async_create(params, run.model, wait=run.wait)
        case ListNewest(cursor=cursor):
            return await predictions.async_list(_newest(cursor)), None
        case Inspect(prediction_id=pid):
            return (await predictions.async_get(pid)).to_dict()
        case Pause(seconds=seconds):
            await _aio.sleep(seconds)
            return None
        case _:
            assert_never(step)


async def _acreate_one(run: Run, index: int, params: CreatePredictionParams) -> BatchResult:
    try:
        return await adrive(creating(run, index, params), functools.partial(_astep, run))
    except ITEM_ERRORS as exc:
        return run.finish(index, None, exc)


async def run_async(
    run: Run,
    inputs: Iterable[CreatePredictionParams] | AsyncIterable[CreatePredictionParams],
    *,
    ordered: bool,
) -> AsyncIterator[BatchResult]:
    import asyncio  # noqa: PLC0415 - lazy, like predictkit._aio

    gate = asyncio.Semaphore(run.concurrency)

    async def one(index: int, params: CreatePredictionParams) -> BatchResult:
        async with gate:
            return await _acreate_one(run, index, params)

    async def resumed(result: BatchResult) -> BatchResult:
        return result

    with closing(run):  # the journal, however the iteration ends
        for search in run.open_searches():
            await adrive(search, functools.partial(_astep, run))
        items = _aenumerate(inputs)
        pending: deque[asyncio.Task[BatchResult]] = deque()
        exhausted = False
        try:
            while True:
                limit = run.window if ordered else run.concurrency
                while not exhausted and len(pending) < limit:
                    try:
                        index, params = await anext(items)
                    except StopAsyncIteration:
                        exhausted = True
                        break
                    earlier = run.resumed(index)
                    work: Awaitable[BatchResult] = (
                        resumed(earlier) if earlier is not None else one(index, params)
                    )
                    pending.append(asyncio.ensure_future(work))
                if not pending:
                    return
                if ordered:
                    first = pending.popleft()
                else:
                    done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    first = next(t for t in pending if t in done)
                    pending.remove(first)
                yield run.counted(await first, len(pending))
        finally:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


async def _aenumerate(
    inputs: Iterable[CreatePredictionParams] | AsyncIterable[CreatePredictionParams],
) -> AsyncIterator[tuple[int, CreatePredictionParams]]:
    index = 0
    if isinstance(inputs, AsyncIterable):
        async for params in inputs:
            yield index, params
            index += 1
    else:
        for params in inputs:
            yield index, params
            index += 1


# --- the methods on client.predictions -------------------------------------------------------


def _prepare(  # noqa: PLR0917 - private: the public methods' keywords, passed on
    client: Client,
    model: str | ModelRef,
    concurrency: int,
    journal: str | os.PathLike[str] | None,
    on_progress: Callable[[BatchProgress], Any] | None,
    wait: bool,
) -> Run:
    ref = ModelRef.parse(model)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidInputError(f"concurrency must be a whole number >= 1, not {concurrency!r}.")
    if on_progress is not None and not callable(on_progress):
        raise InvalidInputTypeError(
            f"on_progress must be a function taking BatchProgress, not {on_progress!r}"
        )
    if not isinstance(wait, bool):
        raise InvalidInputTypeError(f"wait must be True or False, not {wait!r}.")
    opened = None if journal is None else Journal(journal, str(ref))
    return Run(client, model, wait, concurrency, opened, on_progress)


def create_many(
    self: Any,
    inputs: Iterable[CreatePredictionParams],
    model: str | ModelRef,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    ordered: bool = True,
    wait: bool = False,
    journal: str | os.PathLike[str] | None = None,
    on_progress: Callable[[BatchProgress], Any] | None = None,
) -> Iterator[BatchResult]:
    """Create one prediction per params dict in ``inputs`` (read lazily), ``concurrency`` at a
    time, paced to the account's rate limit; yield a BatchResult per input, in input order
    (``ordered=True``) or as each completes. A failed input gives a result with ``error`` and
    does not stop the batch. ``wait=True`` waits for each prediction to end. ``journal`` is a
    file path that lets a crashed batch resume without creating anything twice (run it again
    with the same inputs and path). ``on_progress`` is called with BatchProgress after each
    result. Stop early by closing the iterator (``with contextlib.closing(...)``)."""
    run = _prepare(self._client, model, concurrency, journal, on_progress, wait)
    return run_sync(run, inputs, ordered=ordered)


def async_create_many(
    self: Any,
    inputs: Iterable[CreatePredictionParams] | AsyncIterable[CreatePredictionParams],
    model: str | ModelRef,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    ordered: bool = True,
    wait: bool = False,
    journal: str | os.PathLike[str] | None = None,
    on_progress: Callable[[BatchProgress], Any] | None = None,
) -> AsyncIterator[BatchResult]:
    """Async twin of ``create_many`` (``async for result in ...``); ``inputs`` may also be an
    async iterable."""
    run = _prepare(self._client, model, concurrency, journal, on_progress, wait)
    return run_async(run, inputs, ordered=ordered)
