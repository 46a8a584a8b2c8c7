"""The soak (soak.py) in a short version: two rounds of 40 operations under random faults."""

from __future__ import annotations

from .soak import soak


def test_short_soak_loses_nothing_duplicates_nothing_and_leaks_nothing() -> None:
    report = soak(rounds=2, ops=40, threads=3, loops=1, seed=7)
    assert [r["operations"] for r in report["rounds"]] == [40, 40]
    assert all(r["predictions"] > 10 for r in report["rounds"])
    assert report["resources"]["start"] == report["resources"]["end"]
    assert report["problems"] == []
