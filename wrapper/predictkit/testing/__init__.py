"""predictkit.testing: a local reference server for the WriftAI v1 API, for tests.

Any correct WriftAI client works against it unchanged; it follows the API reference, not
predictkit's client. Needs the ``testing`` extra (starlette, uvicorn)::

    from predictkit.testing import ReferenceServer, Fault

    with ReferenceServer() as server:
        server.inject("get_prediction", Fault.status(503, retry_after=0.1))
        ...  # point a client at server.url with server.token

``ReferenceServer`` is imported on first use, so the pytest plugin (registered for every pytest
run through an entry point) loads even where the extra is not installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from predictkit.testing._faults import Fault
from predictkit.testing._ratelimit import RateLimit
from predictkit.testing._receiver import WebhookReceiver
from predictkit.testing._recording import RecordedRequest

if TYPE_CHECKING:
    from predictkit.testing._server import ReferenceServer

__all__ = ["Fault", "RateLimit", "RecordedRequest", "ReferenceServer", "WebhookReceiver"]


def __getattr__(name: str) -> Any:
    if name == "ReferenceServer":
        from predictkit.testing._server import ReferenceServer  # noqa: PLC0415 - lazy, see above

        return ReferenceServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
