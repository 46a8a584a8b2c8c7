"""Every project task as a nox session. `nox` alone runs every check CI runs.

Dev tools are pinned once, in pyproject.toml's [dependency-groups]; sessions install from there.
"""

from __future__ import annotations

import os
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
def soak(session: nox.Session) -> None:
    """Hundreds of concurrent operations under random faults: nothing lost, duplicated or leaked.

    `nox -s soak -- --rounds 5 --ops 500` for a longer run (tests/reliability/soak.py)."""
    install_group(session, "test")
    session.install("-e", ".[testing]")
    args = session.posargs or ["--rounds", "3", "--ops", "300"]
    session.run("python", "tests/reliability/soak.py", *args)


@nox.session
def demo(session: nox.Session) -> None:
    """Run the README demo against the embedded reference server."""
    session.install("-e", ".[testing]")
    session.run("python", "examples/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: predictkit beside raw httpx and the official client, on loopback, as ratios
    (benchmarks/README.md). `nox -s bench -- --smoke` for tiny counts (CI runs that as a test)."""
    install_group(session, "bench")
    session.install("-e", ".[testing]")
    session.run("python", "benchmarks/run.py", *session.posargs)
