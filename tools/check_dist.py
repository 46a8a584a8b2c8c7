"""Check built distributions before anyone installs them: `python tools/check_dist.py DIST...`.

Run by `nox -s build` on the sdist and wheel it builds (after `twine check`), and so by the
release workflow before anything is published. Standard library only. Exit 1 listing every
problem found.

A wheel must hold both packages, each with its PEP 561 `py.typed` marker (without it an installed
user's types are all Any), and the license; nothing else: no tests, caches or bytecode. An sdist
must hold the license and what is needed to rebuild, and no caches. Both must carry the version
written in wrapper/predictkit/_version.py, the one place it is written.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath

from check_release import VERSION_FILE, source_version

PACKAGES = ("predictkit", "predictkit_api")
WHEEL_REQUIRED = [f"{p}/{name}" for p in PACKAGES for name in ("__init__.py", "py.typed")]
SDIST_REQUIRED = ["LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "PKG-INFO"]
JUNK_PARTS = {
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".schemathesis",
    ".nox",
    ".venv",
    ".git",
}
JUNK_SUFFIXES = {".pyc", ".pyo", ".orig", ".rej"}


def _junk(names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if JUNK_PARTS & set(PurePosixPath(name).parts)
        or PurePosixPath(name).suffix in JUNK_SUFFIXES
    ]


def wheel_problems(path: Path, version: str) -> list[str]:
    """What is wrong with the wheel at ``path`` (empty when nothing)."""
    with zipfile.ZipFile(path) as wheel:
        names = [n for n in wheel.namelist() if not n.endswith("/")]
        dist_info = f"predictkit-{version}.dist-info"
        problems = [f"missing {name}" for name in WHEEL_REQUIRED if name not in names]
        if f"{dist_info}/licenses/LICENSE" not in names:
            problems.append(f"missing {dist_info}/licenses/LICENSE")
        metadata = (
            Parser().parsestr(wheel.read(f"{dist_info}/METADATA").decode())
            if f"{dist_info}/METADATA" in names
            else None
        )
    if metadata is None:
        problems.append(f"missing {dist_info}/METADATA (version other than {version}?)")
    elif metadata["Version"] != version:
        problems.append(f"METADATA says version {metadata['Version']}, the source {version}")
    top_level = {PurePosixPath(n).parts[0] for n in names}
    problems += [f"unexpected top-level {t}" for t in sorted(top_level - {*PACKAGES, dist_info})]
    problems += [f"tests in a wheel: {n}" for n in names if "tests" in PurePosixPath(n).parts]
    problems += [f"cache or bytecode: {n}" for n in _junk(names)]
    return problems


def sdist_problems(path: Path, version: str) -> list[str]:
    """What is wrong with the sdist at ``path`` (empty when nothing)."""
    with tarfile.open(path) as sdist:
        members = [m.name for m in sdist.getmembers() if m.isfile()]
    prefix = f"predictkit-{version}/"
    problems = [
        f"missing {prefix}{name}" for name in SDIST_REQUIRED if prefix + name not in members
    ]
    problems += [f"outside {prefix}: {n}" for n in members if not n.startswith(prefix)]
    problems += [f"cache or bytecode: {n}" for n in _junk(members)]
    return problems


def problems(path: Path, version: str) -> list[str]:
    if path.name.endswith(".whl"):
        return wheel_problems(path, version)
    if path.name.endswith(".tar.gz"):
        return sdist_problems(path, version)
    return [f"neither a wheel nor an sdist: {path.name}"]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    version = source_version(VERSION_FILE.read_text(encoding="utf-8"))
    failed = False
    for path in map(Path, argv):
        found = problems(path, version)
        for problem in found:
            print(f"{path.name}: {problem}", file=sys.stderr)
        if not found:
            print(f"{path.name}: OK")
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
