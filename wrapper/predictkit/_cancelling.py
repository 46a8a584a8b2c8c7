"""The idempotent-cancel rule: when a refused cancel means "it has already ended".

The API documents that cancelling an ended prediction is an error, without a status code
(shared/api §3.4, §9). A user cancels defensively (in ``finally``, in ``run()``), so predictkit
makes cancel idempotent: a refusal with one of ALREADY_ENDED_STATUSES counts as a successful
cancel when reading the prediction shows it has ended. Each of those codes can also mean
something else (a malformed id is a 422, say), so the status code alone never decides.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from predictkit._errors import APIStatusError, PredictKitError, WaitTimeoutError
from predictkit._types import is_terminal

if TYPE_CHECKING:
    from predictkit._prediction import PredictionWithIO

__all__ = [
    "ALREADY_ENDED_STATUSES",
    "ended_or_raise",
    "may_mean_already_ended",
    "told_cancelled",
    "unconfirmed",
]

log = logging.getLogger("predictkit")

ALREADY_ENDED_STATUSES = frozenset({400, 409, 422})
"""Statuses the API may refuse a cancel with because the prediction has already ended: the
reference documents an error without a code (shared/api §3.4). Each of them can also mean
something else (a malformed id is a 422, say), so the meaning is confirmed by reading the
prediction: only a prediction that has indeed ended makes the refusal a successful cancel."""


def may_mean_already_ended(error: APIStatusError) -> bool:
    """Whether a cancel's refusal may say "this prediction has already ended" (to confirm)."""
    return error.status_code in ALREADY_ENDED_STATUSES


def ended_or_raise(current: PredictionWithIO, refused: APIStatusError) -> PredictionWithIO:
    """The prediction read after a refused cancel: ended, the cancel is done; else the refusal
    meant something else and stands."""
    if not is_terminal(current.status):
        raise refused
    log.info("prediction %s had already ended (%s); nothing to cancel", current.id, current.status)
    return current


def unconfirmed(refused: APIStatusError, cause: PredictKitError) -> APIStatusError:
    """The refusal stands when the prediction could not be read; the note says why."""
    refused.add_note(
        f"(predictkit could not read the prediction to see whether it had ended: {cause})"
    )
    return refused


def told_cancelled(exc: BaseException, prediction_id: str) -> None:
    """run() cancelled the prediction its block was waiting on: a WaitTimeoutError leaving the
    block must not advise waiting again."""
    if isinstance(exc, WaitTimeoutError) and exc.prediction_id == prediction_id:
        exc.cancelled = True


@contextlib.contextmanager
def cancelling_after(exc: BaseException, prediction_id: str) -> Iterator[None]:
    """Around run()'s cancel after ``exc``: the original exception stays the one raised; a
    failed cancel is logged and noted on it, a successful one told."""
    log.info("cancelling prediction %s after %s", prediction_id, type(exc).__name__)
    try:
        yield
    except PredictKitError as error:
        log.warning("could not cancel prediction %s: %s", prediction_id, error)
        exc.add_note(f"predictkit could not cancel prediction {prediction_id}: {error}")
    else:
        told_cancelled(exc, prediction_id)
