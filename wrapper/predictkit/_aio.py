"""The wrapper's only uses of asyncio, imported on first async call: sync-only programs never
pay for importing asyncio (measurably slower than httpx itself on small machines)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    import asyncio

P = ParamSpec("P")
T = TypeVar("T")


class Expired(Exception):
    """A `deadline` block was cancelled because its deadline passed."""


async def sleep(seconds: float) -> None:
    import asyncio  # noqa: PLC0415 - lazy on purpose, see the module docstring

    await asyncio.sleep(seconds)


def running_loop() -> asyncio.AbstractEventLoop:
    import asyncio  # noqa: PLC0415 - lazy on purpose, see the module docstring

    return asyncio.get_running_loop()


async def to_thread(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking work (disk reads) off the event loop."""
    import asyncio  # noqa: PLC0415 - lazy on purpose, see the module docstring

    return await asyncio.to_thread(function, *args, **kwargs)


async def all_or_nothing(coroutines: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run coroutines as concurrent tasks; on the first failure cancel the rest, wait for them,
    and raise that failure (plain, not wrapped in an ExceptionGroup as a TaskGroup would)."""
    import asyncio  # noqa: PLC0415 - lazy on purpose, see the module docstring

    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


@contextlib.asynccontextmanager
async def deadline(when: float | None) -> AsyncIterator[None]:
    """Cancel the block at ``when`` (a time.monotonic() instant; None: never) and raise
    Expired: the one way to bound a whole response, however slowly its bytes arrive."""
    if when is None:
        yield
        return
    import asyncio  # noqa: PLC0415 - lazy on purpose, see the module docstring

    timer = asyncio.timeout(max(0.0, when - time.monotonic()))
    try:
        async with timer:
            yield
    except TimeoutError:
        if timer.expired():
            raise Expired from None
        raise
