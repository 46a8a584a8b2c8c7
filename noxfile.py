"""Every project task as a nox session. `nox` alone runs every check CI runs.

Dev tools are pinned once, in pyproject.toml's [dependency-groups]; sessions install from there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = False
nox.options.sessions = ["check_generated", "lint", "typecheck", "tests", "build", "docs"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
PY_SOURCES = ["wrapper", "tests", "tools", "benchmarks", "examples", "noxfile.py"]

# --- Pythons ------------------------------------------------------------------------------------

PYTHONS = ["3.11", "3.12", "3.13"]
"""Every Python we claim, oldest first: pyproject's classifiers and requires-python and the
README list exactly these (tests/release checks that they agree)."""
FULL_SUITE_PYTHONS = {PYTHONS[0], PYTHONS[-1]}
"""The whole suite runs on the oldest and newest; those between run FAST_SUBSET (CI time)."""
FAST_SUBSET = ["tests/unit", "tests/e2e", "tests/release"]
"""The client's logic and its end-to-end behaviour (sockets, threads, event loops: what differs
between Pythons) in under a third of the suite's time, leaving out the reference server's
contract tests (schemathesis) and the generator drift tests, which spend it on subprocesses."""

IN_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
# A laptop skips a Python it lacks (nox says "Session tests-3.13 skipped: Python interpreter 3.13
# not found"); CI must test every claimed version, so there a missing one fails the run.
nox.options.error_on_missing_interpreters = IN_CI
# Never fetch interpreters from the internet: CI machines have them through pyenv.
nox.options.download_python = "never"


def _runs(python: str) -> bool:
    """Whether `python` starts (a pyenv shim exists for every installed version, but only runs
    the versions selected with `pyenv global`/`local`)."""
    try:
        subprocess.run([python, "-c", ""], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def _pyenv_python(version: str) -> str | None:
    """pyenv's newest installed `version` (e.g. 3.12 -> ~/.pyenv/versions/3.12.1/bin/python3.12)."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return None
    found = subprocess.run(
        [pyenv, "prefix", version], capture_output=True, text=True, timeout=60, check=False
    )
    python = Path(found.stdout.strip().split(os.pathsep)[0]) / "bin" / f"python{version}"
    return str(python) if found.returncode == 0 and _runs(str(python)) else None


def find_pythons() -> dict[str, str | None]:
    """Each of PYTHONS -> a working interpreter, from PATH first, then from pyenv; None if absent.

    Interpreters found only through pyenv are linked as `pythonX.Y` into a directory put first
    on PATH, so nox finds them under their usual names (`nox -s tests-3.12`, `-p 3.12`) without
    shadowing `python` or `pip`."""
    links = ROOT / ".nox" / "_pythons"
    shutil.rmtree(links, ignore_errors=True)
    found: dict[str, str | None] = {}
    for version in PYTHONS:
        on_path = shutil.which(f"python{version}")
        if on_path is not None and _runs(on_path):
            found[version] = on_path
            continue
        found[version] = _pyenv_python(version)
        if found[version] is not None:
            links.mkdir(parents=True, exist_ok=True)
            (links / f"python{version}").symlink_to(found[version])
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ.get('PATH', '')}"
    return found


INTERPRETERS = find_pythons()
for _missing in [v for v, path in INTERPRETERS.items() if path is None]:
    nox.logger.logger.warning(
        f"Python {_missing} not found on PATH or through pyenv: the sessions that need it "
        f"{'fail (CI is set)' if IN_CI else 'are skipped'}; try `pyenv install {_missing}`."
    )


def install_group(session: nox.Session, group: str) -> None:
    session.install(*nox.project.dependency_groups(PYPROJECT, group))


# --- Sessions -----------------------------------------------------------------------------------


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
    """mypy --strict on the wrapper, its tests, tools, benchmarks and examples."""
    install_group(session, "typecheck")
    session.install("-e", ".[testing]")
    session.run(
        "mypy",
        "--strict",
        "wrapper/predictkit",
        "generated/predictkit_api",
        "tests",
        "tools",
        "benchmarks",
        "examples",
    )


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Unit, contract and end-to-end tests (offline: the reference server runs on 127.0.0.1).

    Every Python in PYTHONS; the middle ones run FAST_SUBSET unless given pytest arguments."""
    install_group(session, "test")
    session.install("-e", ".[testing]")
    if session.posargs or session.python in FULL_SUITE_PYTHONS:
        session.run("pytest", *session.posargs)
    else:
        session.log(
            f"Python {session.python}: fast subset {FAST_SUBSET} (full suite: oldest, newest)"
        )
        session.run("pytest", *FAST_SUBSET)


@nox.session
def build(session: nox.Session) -> None:
    """Build sdist + wheel once into dist/, check them, and use the wheel as a user would.

    twine check and tools/check_dist.py check the files; then, for every Python in PYTHONS,
    the wheel goes into a fresh venv and each SMOKE_TESTS script runs there against the
    reference server, from a directory outside the checkout. With the oldest Python the
    scripts are first type-checked by mypy --strict against the installed wheel (no config, no
    mypy_path). The release workflow publishes exactly the files this leaves in dist/."""
    install_group(session, "build")
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist))
    files = sorted(map(str, dist.iterdir()))
    session.run("twine", "check", "--strict", *files)
    session.run("python", "tools/check_dist.py", *files)
    wheel = next(dist.glob("*.whl"))
    for version in PYTHONS:
        python = INTERPRETERS[version]
        if python is None:
            message = f"Python {version} not found (PATH, pyenv): the wheel is not tried on it"
            if IN_CI:
                session.error(message)
            session.warn(f"{message}; skipped.")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            smoke_test_wheel(session, wheel, python, Path(tmp), typecheck=version == PYTHONS[0])


SMOKE_TESTS = ["tests/release/smoke_library.py", "tests/release/smoke_cli.py"]
"""User scripts `build` runs against the installed wheel (`python SCRIPT`, exit 0 on success).
The CLI's smoke test joins them when the CLI lands (issue 12): add its script here, and its
extra to SMOKE_EXTRAS."""
SMOKE_EXTRAS = "testing,cli"


def smoke_test_wheel(
    session: nox.Session, wheel: Path, python: str, tmp: Path, *, typecheck: bool
) -> None:
    """Install `wheel` into a fresh venv made by `python` under tmp and run SMOKE_TESTS in tmp."""
    venv = tmp / "venv"
    session.run(python, "-m", "venv", str(venv), external=True)
    py = str(venv / ("Scripts" if os.name == "nt" else "bin") / "python")
    mypy = nox.project.dependency_groups(PYPROJECT, "mypy") if typecheck else ()
    session.run(
        py, "-m", "pip", "install", "--quiet", f"{wheel}[{SMOKE_EXTRAS}]", *mypy, external=True
    )
    scripts = [shutil.copy(ROOT / script, tmp) for script in SMOKE_TESTS]
    with session.chdir(tmp):
        if typecheck:
            session.run(py, "-m", "mypy", "--strict", *scripts, external=True)
        for script in scripts:
            session.run(py, script, external=True, env={"PYTHONPATH": ""})


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into site/ (mkdocs.yml), every warning an error."""
    install_group(session, "docs")
    session.run("mkdocs", "build", "--strict", "--clean", env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def release_check(session: nox.Session) -> None:
    """Whether a tag may be released: `nox -s release_check -- vX.Y.Z` (see docs/releasing.md)."""
    if len(session.posargs) != 1:
        session.error("usage: nox -s release_check -- vX.Y.Z")
    session.run("python", "tools/check_release.py", *session.posargs)


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


# mutmut 3 names a mutant after its file path, stripping only a leading `src/`, so it runs in a
# staging copy where wrapper/predictkit sits at src/predictkit and `predictkit.x` keeps its name.
# The modules it mutates (the core, issue 14) are [tool.mutmut] only_mutate in pyproject.toml.
MUTATION_STAGED = [
    "tests",
    "pyproject.toml",
    *PYPROJECT["tool"]["mutmut"]["also_copy"],  # what the unit tests read from the checkout
]
MUTATION_BAR = 90.0
"""Least share of each module's mutants (in %) the unit suite must kill (tests/README.md)."""
# mutmut's exit codes (mutmut/stats.py) that mean a test caught the mutant; a timeout is a hang
# the suite noticed. "no tests" and "suspicious" count as survivors.
MUTANT_CAUGHT = {1, 3, 36, 37, -24, 24, 152, 255}


@nox.session(default=False)
def mutation(session: nox.Session) -> None:
    """Mutation testing of the core with the unit suite; prints killed/total/% per module and
    fails when a module is below MUTATION_BAR.

    Extra arguments go to `mutmut run`: `nox -s mutation -- --max-children 4`, or mutant names
    (globs): `nox -s mutation -- --max-children 2 "predictkit.reconcile.*"` runs one module.
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
        # 34: skipped on purpose; None: not run (the run was restricted to other mutants)
        tested = [c for c in codes.values() if c not in (34, None)]
        if not tested:  # a run restricted to other modules (a glob after --)
            continue
        rows.append((Path(path).name, sum(c in MUTANT_CAUGHT for c in tested), len(tested)))
    rows.append(("core", sum(r[1] for r in rows), sum(r[2] for r in rows)))
    for module, killed, total in rows:
        session.log(f"{module:<14} {killed:>4}/{total:<4} {100 * killed / max(total, 1):5.1f}%")
    session.log(f"survivors: cd {stage} && {Path(session.bin) / 'mutmut'} results")
    low = [module for module, killed, total in rows if 100 * killed < MUTATION_BAR * total]
    if low:
        session.error(f"below {MUTATION_BAR:g}% killed: {', '.join(low)}")
