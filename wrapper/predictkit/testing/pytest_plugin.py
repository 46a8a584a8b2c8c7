"""pytest plugin (entry point ``predictkit``): the ``predictkit_server`` and ``predictkit_client``
fixtures.

One ReferenceServer per test session, reset before each test that uses it, so tests share the
start-up cost but never each other's predictions, faults or request log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from predictkit import Client
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


@pytest.fixture
def predictkit_client(predictkit_server: ReferenceServer) -> Iterator[Client]:
    """A predictkit Client bound to ``predictkit_server`` (its URL and token), closed after."""
    from predictkit import Client  # noqa: PLC0415 - the client is not needed to load the plugin

    with Client(access_token=predictkit_server.token, api_base_url=predictkit_server.url) as client:
        yield client
