"""The idempotent-cancel rule (predictkit._cancelling) on its own: which refusals may mean
"already ended", and what reading the prediction afterwards decides."""

from __future__ import annotations

import logging

import pytest
from predictkit import (
    APIConnectionError,
    APIStatusError,
    PredictionWithIO,
    WaitTimeoutError,
)
from predictkit._cancelling import (
    ALREADY_ENDED_STATUSES,
    ended_or_raise,
    may_mean_already_ended,
    told_cancelled,
    unconfirmed,
)

from ._bodies import PID, prediction_body


def prediction(status: str, pid: str = PID) -> PredictionWithIO:
    return PredictionWithIO.from_dict(prediction_body(status, pid))


def refusal(status: int) -> APIStatusError:
    return APIStatusError(
        f"{status} refused", method="POST", url="https://api.test/v1/cancel", status_code=status
    )


@pytest.mark.parametrize("status", [400, 409, 422])
def test_the_documented_refusals_may_mean_already_ended(status: int) -> None:
    assert status in ALREADY_ENDED_STATUSES
    assert may_mean_already_ended(refusal(status))


@pytest.mark.parametrize("status", [401, 403, 404, 429, 500, 503])
def test_other_refusals_never_mean_already_ended(status: int) -> None:
    assert not may_mean_already_ended(refusal(status))


@pytest.mark.parametrize("status", ["succeeded", "failed", "cancelled"])
def test_an_ended_prediction_makes_the_refusal_a_successful_cancel(
    status: str, caplog: pytest.LogCaptureFixture
) -> None:
    current = prediction(status)
    with caplog.at_level(logging.INFO, logger="predictkit"):
        assert ended_or_raise(current, refusal(409)) is current
    assert [r.levelno for r in caplog.records] == [logging.INFO]
    assert PID in caplog.text and status in caplog.text


@pytest.mark.parametrize("status", ["pending", "starting", "started"])
def test_a_running_prediction_means_the_refusal_stands(status: str) -> None:
    refused = refusal(422)
    with pytest.raises(APIStatusError) as caught:
        ended_or_raise(prediction(status), refused)
    assert caught.value is refused


def test_an_unconfirmed_refusal_stands_with_a_note_saying_why() -> None:
    refused = refusal(400)
    cause = APIConnectionError("connection reset", method="GET", url="https://api.test/v1/p")
    assert unconfirmed(refused, cause) is refused
    assert len(refused.__notes__) == 1
    assert "could not read the prediction" in refused.__notes__[0]
    assert "connection reset" in refused.__notes__[0]


def test_run_marks_only_its_own_wait_timeout_as_cancelled() -> None:
    mine = WaitTimeoutError(prediction("started"), 5.0, cancelled=False)
    told_cancelled(mine, PID)
    assert mine.cancelled is True

    other = WaitTimeoutError(prediction("started", pid="other"), 5.0, cancelled=False)
    told_cancelled(other, PID)
    assert other.cancelled is False

    unrelated = ValueError("not a timeout")
    told_cancelled(unrelated, PID)  # anything else passes through untouched
    assert not hasattr(unrelated, "cancelled")
