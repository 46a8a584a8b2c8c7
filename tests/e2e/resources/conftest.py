"""Run each resource call sync or through its async twin, against the reference server.

``res("models.get", "demo/echo")`` calls ``client.models.get`` in sync mode and
``client.models.async_get`` under a fresh ``asyncio.run()`` in async mode; ``res.items(...)``
collects every item a list method yields across pages. Every test using ``res`` runs in both
modes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Awaitable
from typing import Any

import pytest
from predictkit import Client


async def _collect(items: AsyncIterable[Any]) -> list[Any]:
    return [item async for item in items]


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class Resources:
    def __init__(self, client: Client, mode: str) -> None:
        self.client = client
        self.mode = mode

    def method(self, path: str, *, raw: bool = False) -> Any:
        *where, name = path.split(".")
        target: Any = self.client
        for part in where:
            target = getattr(target, part)
        if raw:
            target = target.with_raw_response
        return getattr(target, name if self.mode == "sync" else f"async_{name}")

    def __call__(self, path: str, *args: Any, **kwargs: Any) -> Any:
        result = self.method(path)(*args, **kwargs)
        return result if self.mode == "sync" else asyncio.run(_await(result))

    def raw(self, path: str, *args: Any, **kwargs: Any) -> Any:
        result = self.method(path, raw=True)(*args, **kwargs)
        return result if self.mode == "sync" else asyncio.run(_await(result))

    def items(self, path: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item of a list, across pages."""
        result = self.method(path)(*args, **kwargs)
        return list(result) if self.mode == "sync" else asyncio.run(_collect(result))

    def first_page(self, path: str, *args: Any, **kwargs: Any) -> Any:
        result = self.method(path)(*args, **kwargs)
        return result if self.mode == "sync" else asyncio.run(_await(result))


@pytest.fixture(params=["sync", "async"])
def res(request: pytest.FixtureRequest, predictkit_client: Client) -> Resources:
    return Resources(predictkit_client, request.param)
