"""predictkit beside raw httpx and the official wriftai client, on loopback, in one run.

    python -m nox -s bench                       full run; writes benchmarks/results/
    python -m nox -s bench -- --smoke            tiny counts (what CI runs), to a temp dir
    python benchmarks/run.py [--smoke] [--out DIR] [--only SECTION ...]

Writes ``results.md`` (the table), ``results.json`` and ``waits.png`` (wait detection latency
and requests; needs matplotlib, which the bench session installs). benchmarks/README.md says
what each figure measures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `benchmarks` as a package

from predictkit import Client

from benchmarks import calls, scale, waits
from benchmarks._harness import Results, Settings, served

SECTIONS = ("calls", "waits", "scale")
RESULTS = Path(__file__).parent / "results"


def run_calls(results: Results, s: Settings) -> None:
    with served() as server:
        calls.seed(server, s.paging_total)
        with Client(access_token=server.token, api_base_url=server.url) as client:
            calls.bench_paging(results, server, client, s)
            calls.bench_first_page(results, server, client, s)
            calls.bench_get(results, server, client, s)
    calls.bench_import(results, s)


def run_waits(results: Results, s: Settings) -> dict[str, Any]:
    chart = {"no stream": waits.bench_no_stream(results, s)}
    for mode in ("all", "requested"):
        chart[f"stream ({mode})"] = waits.bench_stream(results, s, mode)
    waits.bench_concurrent(results, s)
    return chart


def run_scale(results: Results, s: Settings) -> None:
    """The memory runs (other processes, measuring memory, not time) go on while the
    rate-limited create_many, which mostly waits on the limit, is timed."""
    with ThreadPoolExecutor(1) as side:
        memory = side.submit(scale.measure_memory, s)
        scale.bench_create_many(results, s)
        scale.report_memory(results, s, memory.result())


def markdown(results: Results) -> str:
    lines = [
        "| section | figure | values | ratio to baseline (median; middle half) | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in results.rows:
        values = "<br>".join(f"{k}: {v:.4g} {r.unit}".rstrip() for k, v in r.values.items())
        ratios = "<br>".join(
            f"{k}: {m:.2f}x ({lo:.2f}-{hi:.2f})"
            for k, (m, lo, hi) in r.ratios.items()
            if k != r.baseline
        )
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        note = f"<br>{r.note}" if r.note else ""
        lines.append(
            f"| {r.section} | {r.figure}{note} | {values} | {ratios} | {r.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def chart(data: dict[str, Any], path: Path) -> bool:
    """Bars of detection latency (p50) and requests per wait, per case; False without matplotlib."""
    try:
        import matplotlib as mpl  # type: ignore[import-not-found]  # noqa: PLC0415 - bench only

        mpl.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found]  # noqa: PLC0415
    except ImportError:
        return False
    cases: list[tuple[str, float, float]] = []
    for name, (p50, reqs) in data.get("no stream", {}).items():
        cases.append((f"no stream: {name}", p50, reqs))
    for mode, rows in data.items():
        if mode == "no stream":
            continue
        for label, by_name in rows.items():
            for name, (p50, reqs) in by_name.items():
                cases.append((f"{mode}, {label}: {name}", p50, reqs))
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 0.45 * len(cases) + 1.5), sharey=True)
    names = [c[0] for c in cases]
    left.barh(names, [c[1] for c in cases], color="tab:blue")
    left.set_xlabel("detection latency p50 (ms)")
    right.barh(names, [c[2] for c in cases], color="tab:orange")
    right.set_xlabel("requests per wait")
    left.invert_yaxis()
    fig.suptitle("Waits on loopback against the reference server")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny counts, for CI")
    parser.add_argument("--out", type=Path, help="where to write the results")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    args = parser.parse_args()
    s = Settings.make(args.smoke)
    out = args.out or (Path(tempfile.mkdtemp(prefix="predictkit-bench-")) if s.smoke else RESULTS)
    out.mkdir(parents=True, exist_ok=True)
    results = Results(s)
    started = time.perf_counter()
    wait_chart: dict[str, Any] = {}
    sections: dict[str, float] = {}
    for section in SECTIONS:
        if section not in args.only:
            continue
        began = time.perf_counter()
        if section == "calls":
            run_calls(results, s)
        elif section == "waits":
            wait_chart = run_waits(results, s)
        else:
            run_scale(results, s)
        sections[section] = round(time.perf_counter() - began, 1)
        print(f"-- {section}: {sections[section]} s", flush=True)
    results.extra["section_seconds"] = sections
    results.extra["seconds"] = round(time.perf_counter() - started, 1)
    results.extra["wait_chart"] = wait_chart
    (out / "results.json").write_text(json.dumps(results.as_json(), indent=1) + "\n")
    (out / "results.md").write_text(markdown(results))
    charted = bool(wait_chart) and chart(wait_chart, out / "waits.png")
    unmet = [r.figure for r in results.rows if r.met is False]
    print(f"\nwrote {out}/results.md, results.json{', waits.png' if charted else ''}")
    print(f"{len(results.rows)} figures in {results.extra['seconds']} s; targets not met: {unmet}")


if __name__ == "__main__":
    main()
