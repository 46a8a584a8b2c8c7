"""Many predictions at once from one async client, at most LIMIT in flight.

    python examples/async_fanout.py

Reads WRIFTAI_ACCESS_TOKEN (and WRIFTAI_API_BASE_URL if set). One `Client` serves every task:
it pools connections. A failed prediction is reported, not raised, so one failure does not
hide the others' results.
"""

from __future__ import annotations

import asyncio

from predictkit import Client, PredictionWithIO, WaitOptions

MODEL = "demo/echo"
LIMIT = 4


async def run_one(client: Client, limit: asyncio.Semaphore, n: int) -> PredictionWithIO:
    async with limit:
        return await client.predictions.async_create(
            {"input": {"n": n}}, model=MODEL, wait=True, wait_options=WaitOptions(timeout=60)
        )


async def main() -> None:
    limit = asyncio.Semaphore(LIMIT)
    async with Client() as client:
        results = await asyncio.gather(*(run_one(client, limit, n) for n in range(10)))
    for p in results:
        print(f"{p.id} {p.status} {p.output}")
    print(f"{sum(p.status == 'succeeded' for p in results)}/{len(results)} succeeded")


if __name__ == "__main__":
    asyncio.run(main())
