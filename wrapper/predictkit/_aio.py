"""The wrapper's only uses of asyncio, imported on first async call: sync-only programs never
pay for importing asyncio (measurably slower than httpx itself on small machines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio


async def sleep(seconds: float) -> None:
    import asyncio  # noqa: PLC0415 - lazy on purpose, see the module docstring

    await asyncio.sleep(seconds)


def running_loop() -> asyncio.AbstractEventLoop:
    import asyncio  # noqa: PLC0415 - lazy on purpose, see the module docstring

    return asyncio.get_running_loop()
