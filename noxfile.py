"""Every project task as a nox session. `nox` alone runs every check CI runs.

Dev tools are pinned once, in pyproject.toml's [dependency-groups]; sessions install from there.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["check_generated", "lint", "typecheck", "tests", "build"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
PY_SOURCES = ["wrapper", "tests", "tools", "benchmarks", "examples", "noxfile.py"]


def install_group(session: nox.Session, group: str) -> None:
    session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/predictkit_api from openapi.yaml."""
    install_group(session, "generate")
    session.run("python", "tools/regen.py")


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail with a readable diff when generated/ does not match the spec, config and templates."""
    install_group(session, "generate")
    session.run("python", "tools/regen.py", "--check")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint + format) on the handwritten code; validate openapi.yaml."""
    install_group(session, "lint")
    session.run("ruff", "check", *PY_SOURCES)
    session.run("ruff", "format", "--check", *PY_SOURCES)
    session.run("openapi-spec-validator", "openapi.yaml")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the wrapper, its tests, benchmarks and examples."""
    install_group(session, "typecheck")
    session.install("-e", ".[testing]")
    session.run("mypy", "--strict", "wrapper/predictkit", "tests", "benchmarks", "examples")


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, contract and end-to-end tests (offline: the reference server runs on 127.0.0.1)."""
    install_group(session, "test")
    session.install("-e", ".[testing]")
    session.run("pytest", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build sdist + wheel, twine check, install the wheel into a fresh venv and use it."""
    install_group(session, "build")
    dist = Path(session.create_tmp()) / "dist"
    session.run("python", "-m", "build", "--outdir", str(dist))
    session.run("twine", "check", "--strict", *map(str, dist.iterdir()))
    wheel = next(dist.glob("*.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        session.run("python", "-m", "venv", str(venv))
        py = str(venv / ("Scripts" if os.name == "nt" else "bin") / "python")
        session.run(py, "-m", "pip", "install", "--quiet", f"{wheel}[testing]", external=True)
        session.run(py, "-c", SMOKE, external=True, env={"PYTHONPATH": ""})


SMOKE = """
import predictkit, predictkit_api, predictkit.testing
from predictkit import Client
from predictkit.testing import ReferenceServer
with ReferenceServer() as server, Client(access_token=server.token, api_base_url=server.url) as c:
    p = c.predictions.create({"input": {"text": "hi"}}, model="demo/echo", wait=True)
    assert p.status == "succeeded" and p.output == {"text": "hi"}, p
print("wheel OK:", predictkit.__version__, p.id)
"""


@nox.session
def demo(session: nox.Session) -> None:
    """Run the README demo against the embedded reference server."""
    session.install("-e", ".[testing]")
    session.run("python", "examples/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: predictkit side by side with raw httpx, on loopback, as ratios."""
    session.install("-e", ".[testing]")
    session.run("python", "benchmarks/run.py", *session.posargs)


# mutmut 3 names a mutant after its file path, stripping only a leading `src/`, so it runs in a
# staging copy where wrapper/predictkit sits at src/predictkit and `predictkit.x` keeps its name.
# The modules it mutates (the core, issue 14) are [tool.mutmut] only_mutate in pyproject.toml.
MUTATION_STAGED = ["tests", "pyproject.toml"]
MUTATION_BAR = 90.0
"""Least share of each module's mutants (in %) the unit suite must kill (tests/README.md)."""
# mutmut's exit codes (mutmut/stats.py) that mean a test caught the mutant; a timeout is a hang
# the suite noticed. "no tests" and "suspicious" count as survivors.
MUTANT_CAUGHT = {1, 3, 36, 37, -24, 24, 152, 255}


@nox.session(default=False)
def mutation(session: nox.Session) -> None:
    """Mutation testing of the core with the unit suite; prints killed/total/% per module and
    fails when a module is below MUTATION_BAR.

    Extra arguments go to `mutmut run`: `nox -s mutation -- --max-children 4`, or mutant names.
    Slow (minutes): not part of the default run.
    """
    install_group(session, "mutation")
    session.install("-e", ".[testing]")
    stage = Path(session.create_tmp()) / "mutmut"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(ROOT / "wrapper" / "predictkit", stage / "src" / "predictkit")
    for name in MUTATION_STAGED:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, stage / name)
    args = session.posargs or ["--max-children", "2"]
    with session.chdir(stage):
        session.run("mutmut", "run", *args)
    rows = []
    for path in PYPROJECT["tool"]["mutmut"]["only_mutate"]:
        codes = json.loads((stage / "mutants" / f"{path}.meta").read_text())["exit_code_by_key"]
        tested = [c for c in codes.values() if c != 34]  # 34: skipped on purpose
        rows.append((Path(path).name, sum(c in MUTANT_CAUGHT for c in tested), len(tested)))
    rows.append(("core", sum(r[1] for r in rows), sum(r[2] for r in rows)))
    for module, killed, total in rows:
        session.log(f"{module:<14} {killed:>4}/{total:<4} {100 * killed / max(total, 1):5.1f}%")
    session.log(f"survivors: cd {stage} && {Path(session.bin) / 'mutmut'} results")
    low = [module for module, killed, total in rows if 100 * killed < MUTATION_BAR * total]
    if low:
        session.error(f"below {MUTATION_BAR:g}% killed: {', '.join(low)}")
