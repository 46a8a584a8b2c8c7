"""One ``create_many`` run without its threads and tasks (those are in ``predictkit.batch``).

What the run hands out (``BatchResult``, ``BatchProgress``), the state its sync and async drivers
share (``Run``: the journal, the counts, the creates an earlier run left unsettled), and the step
generators the drivers execute: one input's create, paced by the client's create pacer
(predictkit._ratelimit) and sent again after a 429, and the search for a create a crashed run
left open (``predictkit.reconcile``), which settles it in the journal (predictkit._journal).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from predictkit._errors import CreateOutcomeUnknownError, PredictKitError, RateLimitError
from predictkit._journal import Journal
from predictkit.model_ref import ModelRef
from predictkit.reconcile import (
    Found,
    Inspect,
    ListNewest,
    Pause,
    Sent,
    canonical,
    reconcile_policy,
)

if TYPE_CHECKING:
    from predictkit._client import Client
    from predictkit._prediction import PredictionWithIO
    from predictkit._types import CreatePredictionParams

MAX_429_ROUNDS = 5
"""Times one input's create is sent again after a 429 (each after the pacer's hold)."""


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
class Run:
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


def creating(
    run: Run, index: int, params: CreatePredictionParams
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
