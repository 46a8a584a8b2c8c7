"""End-to-end fixtures: a Client bound to the reference server, and a sync/async adapter.

`api` runs each call either synchronously or through the async twin under a fresh
`asyncio.run()` (so one Client crosses many event loops, as real apps do), and every test
using it runs in both modes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Awaitable
from typing import Any

import pytest
from predictkit import Client
from predictkit.testing import ReferenceServer


@pytest.fixture
def client(predictkit_client: Client) -> Client:
    """The plugin's client (bound to predictkit_server), under a short name."""
    return predictkit_client


async def _collect(items: AsyncIterable[Any]) -> list[Any]:
    return [item async for item in items]


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class Api:
    """Calls ``client.predictions.<name>`` or ``async_<name>``, with the same arguments."""

    def __init__(self, client: Client, mode: str) -> None:
        self.client = client
        self.mode = mode

    def __call__(self, name: str, *args: Any, **kwargs: Any) -> Any:
        predictions = self.client.predictions
        if self.mode == "sync":
            return getattr(predictions, name)(*args, **kwargs)
        return asyncio.run(_await(getattr(predictions, f"async_{name}")(*args, **kwargs)))

    def collect(self, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Everything an iterator method (list, stream) yields."""
        predictions = self.client.predictions
        if self.mode == "sync":
            return list(getattr(predictions, name)(*args, **kwargs))
        return asyncio.run(_collect(getattr(predictions, f"async_{name}")(*args, **kwargs)))


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, client: Client) -> Api:
    return Api(client, request.param)


def paths(server: ReferenceServer, operation_id: str) -> list[str]:
    """Paths of the recorded requests to one operation, in order."""
    return [r.path for r in server.requests if r.operation_id == operation_id]
