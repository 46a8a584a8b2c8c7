"""What every benchmark section shares: the run's settings, paired timing, the reference server
in its own process, and the results.

Timing is paired per round: in each round every contender runs the same work once, in turn
(the order rotating from round to round, so none always runs first or last), and the ratio to
the baseline (raw httpx) is taken within the round; the figure reported is the median of those
ratios, with their middle half (25th to 75th percentile) as the range. Rounds are many and
short (one call each, about a millisecond), so a burst of load from another process spoils the
few rounds it lands in, which the median drops, rather than shifting a whole figure.
"""

from __future__ import annotations

import contextlib
import secrets
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Counts for one run; ``smoke`` shrinks them so CI can run every section in seconds."""

    smoke: bool
    rounds: int  # of get(id); fewer for the slower per-call figures (calls.py)
    paging_total: int
    wait_trials: int
    run_seconds: float  # how long the no-stream jobs run
    hold: float  # the server's Prefer: wait ceiling
    concurrent: int
    batch: int
    batch_raw: int
    iterate: int
    memory_inputs: int

    @classmethod
    def make(cls, smoke: bool) -> Settings:
        if smoke:
            return cls(True, 6, 60, 2, 1.2, 0.6, 5, 20, 10, 60, 300)
        return cls(False, 1000, 500, 12, 3.0, 1.0, 100, 1000, 300, 10_000, 20_000)


@dataclass
class Row:
    """One figure: values per contender (``baseline`` first) in ``unit``, the target, and the
    ratios to the baseline when the figure is a paired time."""

    section: str
    figure: str
    unit: str
    values: dict[str, float]
    baseline: str | None = None
    ratios: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    """contender -> (median, 25th, 75th percentile) of the per-round ratios to the baseline."""
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Results:
    settings: Settings
    rows: list[Row] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(format_row(row), flush=True)
        return row

    def as_json(self) -> dict[str, Any]:
        return {
            "settings": asdict(self.settings),
            "rows": [asdict(r) for r in self.rows],
            **self.extra,
        }


def format_row(row: Row) -> str:
    parts = []
    for name, value in row.values.items():
        ratio = row.ratios.get(name)
        shown = f"{value:.4g} {row.unit}"
        if ratio is not None and name != row.baseline:
            shown += f" ({ratio[0]:.2f}x; {ratio[1]:.2f}-{ratio[2]:.2f})"
        parts.append(f"{name}: {shown}")
    verdict = "" if row.met is None else ("  [target met]" if row.met else "  [target NOT met]")
    return f"{row.section} | {row.figure} | " + "; ".join(parts) + verdict


WARM_UP = 3
"""Untimed runs of each contender first: connections open, caches and lazy imports filled."""


def spread(values: list[float]) -> tuple[float, float, float]:
    """Median, 25th and 75th percentile."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    low, _, high = statistics.quantiles(values, n=4)
    return statistics.median(values), low, high


def paired(
    contenders: Mapping[str, Callable[[], object]], *, rounds: int
) -> tuple[dict[str, float], dict[str, tuple[float, float, float]]]:
    """Seconds per call of each contender (median over rounds) and, for every contender, its
    per-round ratios to the first one (median and middle half). Each is warmed up first; in a
    round each contender runs once, in an order that rotates from round to round."""
    for fn in contenders.values():
        for _ in range(WARM_UP):
            fn()
    names = list(contenders)
    per_round: dict[str, list[float]] = {name: [] for name in contenders}
    clock = time.perf_counter
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            fn = contenders[name]
            start = clock()
            fn()
            per_round[name].append(clock() - start)
    base = per_round[names[0]]
    ratios = {
        name: spread([t / b for t, b in zip(times, base, strict=True)])
        for name, times in per_round.items()
    }
    return {name: statistics.median(t) for name, t in per_round.items()}, ratios


@dataclass(frozen=True)
class Endpoint:
    """Where a reference server listens, and its token."""

    url: str
    token: str


@contextlib.contextmanager
def served() -> Iterator[Endpoint]:
    """The reference server in a process of its own (``python -m predictkit.testing``).

    For the per-call figures: in the benchmark's own process the server's thread would take
    the GIL from the client under test at every request, adding the server's time and the
    switches between the two threads to every contender's figure, and its noise with them. In
    its own process it runs on the other core, as a real server would."""
    token = secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "predictkit.testing", "--token", token],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "export WRIFTAI_API_BASE_URL=..." once it listens
        if not line.startswith("export WRIFTAI_API_BASE_URL="):
            raise RuntimeError(f"the reference server did not start: {line!r}")
        yield Endpoint(shlex.split(line.split("=", 1)[1])[0], token)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
