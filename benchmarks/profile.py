"""Where a get or a first page of 50 spends its time: pyinstrument over many calls.

    .nox/bench/bin/python benchmarks/profile.py [get|list] [--calls N]

Prints pyinstrument's call tree (time in predictkit vs httpx vs the generated models) for the
client side only: the reference server runs in its own process, as in the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from predictkit import Client

from benchmarks._harness import served
from benchmarks.calls import seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["get", "list"])
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    from pyinstrument import Profiler  # type: ignore[import-not-found]  # noqa: PLC0415

    with (
        served() as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        seed(server, 60)
        pid = client.predictions.list().items[0].id

        def get() -> object:
            return client.predictions.get(pid)

        def first_page() -> object:
            return client.predictions.list({"page_size": 50})

        call = get if args.what == "get" else first_page
        call()
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(args.calls):
            call()
        profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
