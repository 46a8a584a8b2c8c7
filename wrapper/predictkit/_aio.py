"""The wrapper's only uses of asyncio, imported on first async call: sync-only programs never
pay for importing asyncio (measurably slower than httpx itself on small machines)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    import asyncio

P = ParamSpec("P")
T = TypeVar("T")


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
