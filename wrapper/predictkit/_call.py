"""One API call, built but not sent: what it asks (the generated layer's request kwargs), how it
may be repeated (``Retry``, and ``WriteOnce`` advice for a write that may not be), where it goes
(``Target``: the API with its token, or a URL outside it) and its time limits.
"""

from __future__ import annotations

import enum
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import attrs
import httpx


class Retry(enum.Enum):
    """How a call may be repeated. CREATE: a write that may not be repeated (see WriteOnce)."""

    IDEMPOTENT = "idempotent"
    CREATE = "create"
    NEVER = "never"


@attrs.frozen
class WriteOnce:
    """What to tell the user when a write that may not be repeated has an unknown outcome.

    Supplied by the operation (prediction create, model create, upload start...), so the HTTP
    layer stays generic: ``what`` may have been created; repeating risks ``repeat``; ``check``
    says how to find out before retrying."""

    what: str
    repeat: str
    check: str


PREDICTION_CREATE = WriteOnce(
    "a prediction", "running it twice", "check client.predictions.list() (newest first)"
)
"""The advice of ``POST /predictions``; also what a Retry.CREATE call without its own gets."""


class Target(enum.Enum):
    """Where a call goes, and whether the API token goes with it."""

    API = "api"
    """A path under the API's base URL, with the token."""
    URL = "url"
    """An absolute URL outside the API (a pre-signed upload part): never the token."""
    URL_TOKEN_ON_API_ORIGIN = "url-token-on-api-origin"  # noqa: S105 - a name, not a secret
    """An absolute URL (an output file): the token only if it is on the API's own origin."""


Body = Callable[[], Generator[bytes, None, None]] | Callable[[], AsyncGenerator[bytes, None]]
"""A request body made afresh for each attempt."""


@attrs.frozen
class Call:
    """One API call, built but not sent: the generated layer's request kwargs plus our policy."""

    kwargs: dict[str, Any]
    retry: Retry = Retry.IDEMPOTENT
    timeout: httpx.Timeout | None = None
    prediction_id: str | None = None
    deadline: float | None = None
    """A time.monotonic() instant no attempt or retry may run past (a wait's deadline)."""
    write_once: WriteOnce | None = None
    """The advice for an unknown outcome of a Retry.CREATE call (None: a prediction's)."""
    target: Target = Target.API
    body: Body | None = None
    """A fresh request body for each attempt (an upload part, streamed from its source again):
    a generator for ``send``, an async generator for ``asend``; closed after its attempt."""
    on_retry: Callable[[], None] | None = None
    """Called before each retry (an upload part's progress takes its bytes back)."""
    response_cap: int | None = None
    """Keep at most this many bytes of the 2xx body and drop the rest (an upload part's answer,
    normally empty), instead of refusing a body over the client's max_response_bytes."""

    def attempt_timeout(self, default: httpx.Timeout) -> httpx.Timeout:
        """The timeout for the next attempt: the call's own, cut to what the deadline leaves.

        Never cut for a create: a create cut short may have run, which would turn a prediction
        into an unknown outcome. Its deadline only stops retry sleeps."""
        timeout = self.timeout or default
        if self.deadline is None or self.retry is Retry.CREATE:
            return timeout
        left = max(0.001, self.deadline - time.monotonic())

        def cut(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cut(timeout.connect),
            read=cut(timeout.read),
            write=cut(timeout.write),
            pool=cut(timeout.pool),
        )

    def response_deadline(self, timeout: httpx.Timeout) -> float | None:
        """When this attempt's whole response must have arrived (time.monotonic()): the read
        timeout from now, or the call's deadline if sooner (never for a create, see above)."""
        ends = None if timeout.read is None else time.monotonic() + timeout.read
        if self.deadline is None or self.retry is Retry.CREATE:
            return ends
        return self.deadline if ends is None else min(ends, self.deadline)

    def leaves_time_for(self, delay: float) -> bool:
        return self.deadline is None or time.monotonic() + delay < self.deadline
