"""Reconciling an ambiguous create: did the prediction arrive, or not?

A create whose request may have reached the server but got no usable answer (the connection
dropped after sending, a read timeout, a 5xx, a cut body without ``Location``) leaves the caller
unable to tell "never arrived" from "arrived and runs". Repeating it blindly could run the
prediction twice; giving up loses it. Instead the client looks for it: it lists the caller's
newest predictions created since the request started and compares each against what was sent:

- the model (owner and name, and the version when one was named), then
- the input, as canonical JSON (keys sorted), fetched for each candidate that passed the model
  check (list items carry no input).

Predictions this client already returned from an earlier create are never candidates, so two
identical creates one after the other stay two. The webhook is not compared: the API does not
return it. The result: one match is the prediction; none after ``window`` seconds means it
never arrived and the create may be sent again (once); several raise
CreateOutcomeUnknownError with the candidates.

What remains (documented in the README): two *identical* creates in flight at once from the
same account, both ambiguous, can each claim the other's prediction; and a server that records a
prediction more than ``window`` seconds after the client gave up on the request would see it
created again.

"Since the request started" is measured on the server's clock when a response carries a
``Date`` header (the list responses do, on the API and the reference server), so client clock
skew does not matter; otherwise on the client's clock with a wide margin.

A look that fails (connection errors, 5xx, 429, after the transport's own retries) is repeated
within the window; if the last look failed, the outcome stays unknown and nothing is re-sent.

The search is an I/O-free step generator, like the wait policy, driven by `drive`/`adrive`.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import time
from collections import deque
from collections.abc import Callable, Generator, Mapping
from typing import Any

import attrs
from predictkit_api.models.prediction import Prediction
from predictkit_api.models.prediction_list import PredictionList

from predictkit._errors import APIConnectionError, PredictKitError, RateLimitError, ServerError
from predictkit.model_ref import ModelRef

MAX_PAGES = 4
"""Pages of newest predictions (50 each) searched per look: a create is looked for among the
200 newest, which bounds the cost when many predictions are being created at once."""
MAX_INPUT_CHECKS = 20
"""Candidates whose input is fetched per reconciliation, at most."""
DATE_MARGIN = 2.0
"""Slack on the server-clock bound: ``Date`` has one-second resolution, and rounding."""
CLOCK_MARGIN = 300.0
"""Slack on the client-clock bound, used only when no ``Date`` header came back."""
POLL_DELAYS = (0.0, 0.1, 0.25, 0.5, 1.0)
"""Delays between looks; the last repeats until the window closes."""
PAGE_SIZE = 50
TRANSIENT = (APIConnectionError, ServerError, RateLimitError)
"""Failures of a look (after the transport's own retries) that a later look may not meet."""


@attrs.frozen
class ListNewest:
    """GET one page of the caller's newest predictions -> (PredictionList, Date header or None)."""

    cursor: str | None


@attrs.frozen
class Inspect:
    """GET one prediction -> its JSON as a dict (``to_dict()``)."""

    prediction_id: str


@attrs.frozen
class Pause:
    """Sleep -> None."""

    seconds: float


Step = ListNewest | Inspect | Pause


def canonical(value: Any) -> str:
    """One spelling per JSON value: sorted keys, no spaces, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@attrs.frozen
class Sent:
    """What an ambiguous create sent, and when (time.monotonic() and time.time())."""

    ref: ModelRef
    input_json: str
    started: float
    started_wall: float
    known_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, body: Mapping[str, Any], started: float, started_wall: float) -> Sent:
        return cls(ModelRef.parse(body["model"]), canonical(body["input"]), started, started_wall)


def _model_matches(item: Prediction, ref: ModelRef) -> bool:
    model = item.model
    if (model.owner, model.name) != (ref.owner, ref.name):
        return False
    return ref.version is None or model.version_number == ref.version


def _since(sent: Sent, date_header: str | None, now: float) -> datetime.datetime:
    """The earliest creation time the prediction can have, on the server's clock if we can."""
    if date_header:
        try:
            server_now = email.utils.parsedate_to_datetime(date_header)
        except (TypeError, ValueError):
            server_now = None
        if server_now is not None and server_now.tzinfo is not None:
            elapsed = max(0.0, now - sent.started)
            return server_now - datetime.timedelta(seconds=elapsed + DATE_MARGIN)
    return datetime.datetime.fromtimestamp(sent.started_wall - CLOCK_MARGIN, datetime.UTC)


@attrs.frozen
class Found:
    """What a reconciliation found: ``matches`` compared equal; ``unchecked`` passed the model
    check but were not compared (over MAX_INPUT_CHECKS), so they may be the prediction too."""

    matches: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()

    @property
    def single(self) -> str | None:
        """The prediction's id when exactly one candidate is left, else None."""
        return self.matches[0] if len(self.matches) == 1 and not self.unchecked else None

    @property
    def candidates(self) -> tuple[str, ...]:
        return self.matches + self.unchecked


@attrs.define
class _Verdicts:
    """Ids judged so far: True same, False different, None not compared (out of budget)."""

    by_id: dict[str, bool | None] = attrs.field(factory=dict)
    inspected: int = 0


def _look(sent: Sent, verdicts: _Verdicts, now: float) -> Generator[Step, Any, Found]:
    """One search over the newest pages, judging each candidate once across looks."""
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        answer: tuple[PredictionList, str | None] = yield ListNewest(cursor)
        page, date_header = answer
        since = _since(sent, date_header, now)
        for item in page.items:
            if _aware(item.created_at) < since:
                return _matches(verdicts)
            judged = verdicts.by_id
            if judged.get(item.id) is not None or item.id in sent.known_ids:
                continue
            if not _model_matches(item, sent.ref):
                judged[item.id] = False
            elif verdicts.inspected >= MAX_INPUT_CHECKS:
                judged[item.id] = None
            else:
                verdicts.inspected += 1
                body = yield Inspect(item.id)
                judged[item.id] = canonical(body.get("input")) == sent.input_json
        cursor = page.next_cursor
        if not cursor:
            break
    return _matches(verdicts)


def _aware(when: datetime.datetime) -> datetime.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=datetime.UTC)


def _matches(verdicts: _Verdicts) -> Found:
    return Found(
        tuple(pid for pid, same in verdicts.by_id.items() if same is True),
        tuple(pid for pid, same in verdicts.by_id.items() if same is None),
    )


def reconcile_policy(
    sent: Sent, window: float, *, clock: Callable[[], float] = time.monotonic
) -> Generator[Step, Any, Found]:
    """Look for the prediction ``sent`` created until a look finds a candidate, or ``window``
    seconds (from now) pass. An empty Found means it never arrived."""
    deadline = clock() + window
    verdicts = _Verdicts()
    found = Found()
    failure: PredictKitError | None = None
    for attempt in range(1, 10_000):  # the window ends it long before this bound
        try:
            found, failure = (yield from _look(sent, verdicts, clock())), None
        except TRANSIENT as exc:  # a failed look proves nothing: look again within the window
            failure = exc
        delay = POLL_DELAYS[min(attempt, len(POLL_DELAYS) - 1)]
        if found.candidates or clock() + delay >= deadline:
            break
        yield Pause(delay)
    if failure is not None and not found.candidates:
        raise failure  # the last look failed: "not found" cannot be concluded
    return found


class CreatedLedger:
    """Ids of the predictions this client's creates returned (the newest 1,000), shared by a
    client and its with_options() copies, so reconciliation never claims one of them."""

    def __init__(self, size: int = 1000) -> None:
        self._ids: deque[str] = deque(maxlen=size)

    def add(self, prediction_id: str) -> None:
        self._ids.append(prediction_id)

    def snapshot(self) -> frozenset[str]:
        return frozenset(self._ids)
