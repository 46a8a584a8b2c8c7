"""Hypothesis settings for the fuzz suite: a fixed example budget per test, so CI time is bounded
and the counts in tests/reliability/README.md stay true. `HYPOTHESIS_PROFILE=deep` runs 10x more."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,  # a loaded CI machine must not turn slowness into a failure
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples every run: a failure reproduces, CI does not flake
    database=None,
)
settings.register_profile("deep", parent=settings.get_profile("ci"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
