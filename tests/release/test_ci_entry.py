""".ci/run is the README's check command, in the mode that fails on a missing Python."""

from __future__ import annotations

import re

from ._project import ROOT


def readme_check_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^(.+?)\s+# every check CI runs$", readme, re.MULTILINE)
    assert found is not None, "README.md lost its check command"
    return found.group(1)


def test_ci_runs_the_readme_check_command_verbatim() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_check_command() in lines


def test_ci_fails_on_a_missing_python_instead_of_skipping_it() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = script.index(readme_check_command())
    assert 'export CI="${CI:-true}"' in script[:command]
