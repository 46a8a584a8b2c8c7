"""The benchmark in smoke mode (tiny counts), so it cannot rot: every section runs and reports.

It asserts that figures exist, never how fast anything was (speed is measured only by the
benchmark itself)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_section_of_the_benchmark_runs_and_reports(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "results.json").read_text())
    sections = {row["section"] for row in report["rows"]}
    assert sections == {"calls", "waits", "scale"}
    assert all(row["values"] for row in report["rows"])
    table = (tmp_path / "results.md").read_text()
    assert table.count("\n") == len(report["rows"]) + 2
