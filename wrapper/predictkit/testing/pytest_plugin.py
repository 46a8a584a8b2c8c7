"""pytest plugin (entry point ``predictkit``): the ``predictkit_server`` fixture.

One ReferenceServer per test session, reset before each test that uses it, so tests share the
start-up cost but never each other's predictions, faults or request log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from predictkit.testing._server import ReferenceServer


@pytest.fixture(scope="session")
def _predictkit_session_server() -> Iterator[ReferenceServer]:
    # Imported here, not at the top, so pytest starts even without the `testing` extra.
    from predictkit.testing._server import ReferenceServer  # noqa: PLC0415

    with ReferenceServer() as server:
        yield server


@pytest.fixture
def predictkit_server(_predictkit_session_server: ReferenceServer) -> ReferenceServer:
    """The session's reference server, freshly reset (seeded data only, no faults, empty log)."""
    _predictkit_session_server.reset()
    return _predictkit_session_server
