"""When to poll a prediction that has no event stream: where its end is likely.

A fixed 1 s loop finds the end on average half a second late. Restarting a short backoff after
the server's ``Prefer: wait`` hold is worse: it spends its small early polls when the end is
least likely (the hold just ruled it out), then settles into the same 1 s loop. So:

- Without any idea of the run time, poll every ``poll_interval`` — the fixed loop, never worse
  than it on requests or latency.
- With the model's recent run times (`RunTimes`, what this client saw: ``updated_at -
  created_at`` of the model's recent succeeded predictions, on the server's clock), one poll
  lands just after the expected end (``EXPECTED_MARGIN`` past the median), on a grid of
  ``AHEAD * poll_interval`` steps ending there: polls that would find the run still going are
  halved, and the end is seen within milliseconds when the run takes its usual time.
- Past the expected end, the run is late: polls follow at ``OVERDUE_FIRST`` seconds, doubling
  up to ``poll_interval`` (the fixed loop again).
"""

from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from predictkit_api.models.prediction_with_details import PredictionWithDetails

EXPECTED_MARGIN = 0.03
"""Seconds after the expected end that the aligned poll lands (server timestamps are rounded
and the end must be recorded before a GET can see it)."""
AHEAD = 2.0
"""Before the expected end, polls are ``AHEAD * poll_interval`` apart: they rarely find the end
(a failure, a cancel), so they are spread out, but a failure is still seen within 2 s."""
OVERDUE_FIRST = 0.1
"""First gap, in seconds, once a run is past its expected end; each later one doubles."""
MIN_GAP = 0.02
"""A grid point closer than this (plus EXPECTED_MARGIN) to the last poll is skipped for the
next one: a poll that soon would tell nothing new."""
REMEMBERED = 16
"""Run times kept per model version (the median of these is the expectation)."""
MAX_MODELS = 256
"""Model versions remembered at most (the least recently seen is forgotten)."""


class RunTimes:
    """Recent run times per model version, shared by every wait of one client (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_model: dict[tuple[str, str, int], deque[float]] = {}

    @staticmethod
    def _key(prediction: PredictionWithDetails) -> tuple[str, str, int]:
        model = prediction.model
        return (model.owner, model.name, model.version_number)

    def record(self, prediction: PredictionWithDetails) -> None:
        """Remember a succeeded prediction's run time (others ended early or never ran)."""
        if prediction.status != "succeeded":
            return
        seconds = (prediction.updated_at - prediction.created_at).total_seconds()
        if not 0 <= seconds < 86_400:
            return
        key = self._key(prediction)
        with self._lock:
            times = self._by_model.pop(key, None) or deque(maxlen=REMEMBERED)
            times.append(seconds)
            self._by_model[key] = times  # most recently seen last
            if len(self._by_model) > MAX_MODELS:
                del self._by_model[next(iter(self._by_model))]

    def expected(self, prediction: PredictionWithDetails) -> float | None:
        """The median recent run time of the prediction's model version, if any was seen."""
        with self._lock:
            times = self._by_model.get(self._key(prediction))
            return _median(times) if times else None


def _median(values: deque[float]) -> float:
    """The median (statistics.median, without importing statistics on ``import predictkit``)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def is_overdue(age: float | None, expected: float | None) -> bool:
    """Whether a prediction ``age`` seconds old has passed the poll aimed at its expected end."""
    return age is not None and expected is not None and age >= expected + EXPECTED_MARGIN


def next_poll(
    age: float | None, expected: float | None, poll_interval: float, overdue: int
) -> float:
    """Seconds until the next poll of a prediction ``age`` seconds old (None: unknown) whose
    run is expected to take ``expected`` seconds (None: unknown); ``overdue`` is how many polls
    already found it past that."""
    if age is None or expected is None:
        return poll_interval
    left = expected + EXPECTED_MARGIN - age
    if left > 0:
        step = AHEAD * poll_interval
        if left <= step:
            return left
        gap = left % step  # a grid of steps that ends on the target
        return gap if gap >= EXPECTED_MARGIN + MIN_GAP else gap + step
    return min(poll_interval, OVERDUE_FIRST * 2.0**overdue)
