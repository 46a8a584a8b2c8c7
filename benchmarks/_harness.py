"""What every benchmark section shares: the run's settings, paired timing, and the results.

Timing is paired per round: in each round every contender runs the same work once, in turn, and
the ratio to the baseline (raw httpx) is taken within the round; the figure reported is the
median of those ratios, with their range. Noise from other processes on the machine hits both
sides of a round alike, so ratios stay stable where absolute times do not.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Counts for one run; ``smoke`` shrinks them so CI can run every section in seconds."""

    smoke: bool
    calls: int  # per round, for per-call figures
    rounds: int
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
            return cls(True, 5, 2, 60, 2, 1.2, 0.6, 5, 20, 10, 60, 300)
        return cls(False, 200, 7, 500, 12, 3.0, 1.0, 100, 1000, 300, 10_000, 20_000)


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
    """contender -> (median, min, max) of the per-round ratios to the baseline."""
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
            shown += f" ({ratio[0]:.2f}x, {ratio[1]:.2f}-{ratio[2]:.2f})"
        parts.append(f"{name}: {shown}")
    verdict = "" if row.met is None else ("  [target met]" if row.met else "  [target NOT met]")
    return f"{row.section} | {row.figure} | " + "; ".join(parts) + verdict


def paired(
    contenders: Mapping[str, Callable[[], object]], *, repeat: int, rounds: int
) -> tuple[dict[str, float], dict[str, tuple[float, float, float]]]:
    """Seconds per call of each contender (median over rounds) and, for every contender, the
    per-round ratios to the first one (median, min, max). Each is warmed up once first."""
    for fn in contenders.values():
        fn()
    per_round: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            start = time.perf_counter()
            for _ in range(repeat):
                fn()
            per_round[name].append((time.perf_counter() - start) / repeat)
    base = next(iter(contenders))
    ratios = {}
    for name, times in per_round.items():
        r = [t / b for t, b in zip(times, per_round[base], strict=True)]
        ratios[name] = (statistics.median(r), min(r), max(r))
    return {name: statistics.median(t) for name, t in per_round.items()}, ratios
