"""``client.predictions.poller(token)``: a long-running prediction you can hand to another
process (the continuation token is the prediction id)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from predictkit._prediction import PredictionWithIO
from predictkit._types import is_terminal
from predictkit.waiting import AsyncWaitOptions, WaitOptions

if TYPE_CHECKING:
    from predictkit.resources._steps import WaitPlan
    from predictkit.resources.predictions import Predictions


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

    def _seen(self, prediction: PredictionWithIO) -> bool:
        self._last = prediction
        return is_terminal(prediction.status)

    def done(self) -> bool:
        """Fetch the prediction; whether it has ended."""
        return self._seen(self._predictions.get(self.prediction_id))

    async def async_done(self) -> bool:
        return self._seen(await self._predictions.async_get(self.prediction_id))

    def result(
        self, timeout: float | None = None, *, cancel_on_timeout: bool = False
    ) -> PredictionWithIO:
        """Wait (at most ``timeout`` seconds) and return the ended prediction."""
        plan = self._plan_wait(WaitOptions(timeout=timeout), cancel_on_timeout)
        self._last = self._predictions._wait(plan)
        return self._last

    async def async_result(
        self,
        timeout: float | None = None,  # noqa: ASYNC109 - result(timeout)'s twin: a wait deadline
        *,
        cancel_on_timeout: bool = False,
    ) -> PredictionWithIO:
        plan = self._plan_wait(AsyncWaitOptions(timeout=timeout), cancel_on_timeout)
        self._last = await self._predictions._async_wait(plan)
        return self._last

    def _plan_wait(self, options: WaitOptions | AsyncWaitOptions, cancel: bool) -> WaitPlan:
        """The wait of ``result``/``async_result``, from the last state seen (if any)."""
        sync = isinstance(options, WaitOptions)
        return self._predictions._plan_wait(self.prediction_id, self._last, options, sync, cancel)

    def cancel(self) -> None:
        self._predictions.cancel(self.prediction_id)

    async def async_cancel(self) -> None:
        await self._predictions.async_cancel(self.prediction_id)

    def __repr__(self) -> str:
        status = self._last.status if self._last is not None else "unknown"
        return f"Poller(prediction_id={self.prediction_id!r}, status={status!r})"
