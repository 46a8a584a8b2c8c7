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
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from contextlib import closing
from typing import TYPE_CHECKING, Any, assert_never

import attrs

from predictkit import _aio
from predictkit._errors import (
    CreateOutcomeUnknownError,
    InvalidInputError,
    InvalidInputTypeError,
    PredictKitError,
    RateLimitError,
)
from predictkit._journal import Journal
from predictkit.model_ref import ModelRef
from predictkit.reconcile import (
    PAGE_SIZE,
    Found,
    Inspect,
    ListNewest,
    Pause,
    Sent,
    canonical,
    reconcile_policy,
)
from predictkit.waiting import adrive, drive

if TYPE_CHECKING:
    import os

    from predictkit._client import Client
    from predictkit._prediction import PredictionWithIO
    from predictkit._types import CreatePredictionParams, PaginationOptions

__all__ = ["BatchProgress", "BatchResult"]

DEFAULT_CONCURRENCY = 8
MAX_429_ROUNDS = 5
"""Times one input's create is sent again after a 429 (each after the pacer's hold)."""
ITEM_ERRORS = (PredictKitError, ValueError, TypeError)
"""What one bad input or failed create may raise without stopping the batch."""


@attrs.frozen
class BatchResult:
    """What one input gave: ``prediction`` or ``error``. ``prediction_id`` is set whenever the
    prediction exists (also with some errors); ``resumed`` marks an input a journal says an
    earlier run created (``prediction`` is then None: fetch it with ``get`` if you need it)."""

    index: int
    prediction: PredictionWithIO | None = None
    error: BaseException | None = None
    prediction_id: str | None = None
    resumed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@attrs.frozen
class BatchProgress:
    """Counts so far, passed to ``on_progress`` after each result."""

    done: int
    failed: int
    in_flight: int


@attrs.define
class _Run:
    """What one create_many run shares between its sync and async drivers."""

    client: Client
    model: str | ModelRef
    wait: bool
    concurrency: int
    journal: Journal | None
    on_progress: Callable[[BatchProgress], Any] | None
    done: int = 0
    failed: int = 0
    unsettled: dict[int, PredictKitError] = attrs.field(factory=dict)
    """Inputs an earlier run may have created that could not be settled: reported, not sent."""

    @property
    def window(self) -> int:
        """Results that may wait to be handed out (ordered mode lets fast ones run ahead)."""
        return self.concurrency * 4

    def resumed(self, index: int) -> BatchResult | None:
        """The result of an input an earlier run settled, or None to create it now."""
        if index in self.unsettled:
            return BatchResult(index, error=self.unsettled[index])
        pid = None if self.journal is None else self.journal.done.get(index)
        return None if pid is None else BatchResult(index, prediction_id=pid, resumed=True)

    def finish(self, index: int, prediction: PredictionWithIO | None, exc: Any) -> BatchResult:
        """Record one input's outcome in the journal and turn it into a result."""
        pid = prediction.id if prediction is not None else getattr(exc, "prediction_id", None)
        if self.journal is not None:
            if pid is not None:
                self.journal.created(index, pid)
            elif not isinstance(exc, CreateOutcomeUnknownError):
                self.journal.failed(index)  # an unknown outcome stays open for the next run
        return BatchResult(index, prediction, exc, pid)

    def counted(self, result: BatchResult, in_flight: int) -> BatchResult:
        self.done += 1
        self.failed += not result.ok
        if self.on_progress is not None:
            self.on_progress(BatchProgress(self.done, self.failed, in_flight))
        return result

    def open_searches(self) -> Iterator[Generator[Step, Any, None]]:
        """For each create an earlier run left open, the reconcile search for it (among
        predictions created since it was sent, not claimed by another input), which settles
        it with what it finds."""
        if self.journal is None:
            return
        ref = ModelRef.parse(self.model)
        for index, (since, input_json) in sorted(self.journal.started.items()):
            if input_json == UNRECORDED:
                self.unsettled[index] = _unknown(index, "its input could not be recorded")
                continue
            age = max(0.0, time.time() - since)
            known = self.journal.claimed() | self.client._reconciling.created.snapshot()
            sent = Sent(ref, input_json, time.monotonic() - age, since, known)
            search = reconcile_policy(sent, max(0.0, self.client.reconcile_window - age))
            yield self._settling(index, search)

    def _settling(
        self, index: int, search: Generator[Step, Any, Found]
    ) -> Generator[Step, Any, None]:
        try:
            found: Found | PredictKitError = yield from search
        except PredictKitError as exc:
            found = exc
        self.settle(index, found)

    def settle(self, index: int, found: Found | PredictKitError) -> None:
        """Record what the search for an open create found."""
        if isinstance(found, PredictKitError):
            self.unsettled[index] = found
        elif found.single is not None or not found.candidates:
            self.journal.settle(index, found.single)  # type: ignore[union-attr]
        else:
            self.unsettled[index] = _unknown(
                index, f"several predictions match: {', '.join(found.candidates)}"
            )

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()

    def sending(self, index: int, params: CreatePredictionParams) -> None:
        if self.journal is None:
            return
        try:
            input_json = canonical(params["input"])
        except (TypeError, ValueError):  # files in the input: not comparable after upload
            input_json = UNRECORDED
        self.journal.sending(index, input_json)


UNRECORDED = "-"


def _unknown(index: int, why: str) -> CreateOutcomeUnknownError:
    return CreateOutcomeUnknownError(
        f"An earlier run sent the create of input {index} but did not learn its outcome, and "
        f"it cannot be settled ({why}): check client.predictions.list() before creating it "
        "again. The journal keeps it open."
    )


@attrs.frozen
class Create:
    """Send one input's create (``client.predictions.create``) -> the prediction."""

    params: CreatePredictionParams


Step = ListNewest | Inspect | Pause | Create
"""What the batch's generators (an input's create, a search for an open one) ask for."""


def _creating(
    run: _Run, index: int, params: CreatePredictionParams
) -> Generator[Step, Any, BatchResult]:
    """One input's create: a slot from the client's create pacer (a Pause), then the create; a
    429 holds the pacer and the create is sent again, at most MAX_429_ROUNDS times."""
    rate = run.client._create_rate
    run.sending(index, params)
    attempt = 0
    while True:  # ends: a success returns, the last 429 round re-raises
        yield Pause(rate.reserve())
        rate.sending()
        try:
            prediction = yield Create(params)
        except RateLimitError as exc:
            rate.hold(exc.retry_after)
            if attempt == MAX_429_ROUNDS:
                raise
            attempt += 1
        else:
            return run.finish(index, prediction, None)
        finally:
            rate.done()


def _newest(cursor: str | None) -> PaginationOptions:
    return {"page_size": PAGE_SIZE, "cursor": cursor} if cursor else {"page_size": PAGE_SIZE}


# --- sync ------------------------------------------------------------------------------------


def _step(run: _Run, step: Step) -> Any:
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


def _create_one(run: _Run, index: int, params: CreatePredictionParams) -> BatchResult:
    try:
        return drive(_creating(run, index, params), functools.partial(_step, run))
    except ITEM_ERRORS as exc:
        return run.finish(index, None, exc)


def run_sync(
    run: _Run, inputs: Iterable[CreatePredictionParams], *, ordered: bool
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


async def _astep(run: _Run, step: Step) -> Any:
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


async def _acreate_one(run: _Run, index: int, params: CreatePredictionParams) -> BatchResult:
    try:
        return await adrive(_creating(run, index, params), functools.partial(_astep, run))
    except ITEM_ERRORS as exc:
        return run.finish(index, None, exc)


async def run_async(
    run: _Run,
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
) -> _Run:
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
    return _Run(client, model, wait, concurrency, opened, on_progress)


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
