"""Regenerate generated/predictkit_api from openapi.yaml, or check that it has not drifted.

    python tools/regen.py            write generated/predictkit_api
    python tools/regen.py --check    regenerate into a temporary folder; exit 1 with a diff on drift
    --root DIR                       operate on another checkout (the drift test uses a copy)

Generation is deterministic: the generator and ruff are pinned (pyproject.toml, group
`generate`), and ruff runs with generator-ruff.toml rather than any config found on the machine.
The package gets a PEP 561 `py.typed` marker (the generator writes one only with its packaging
metadata, which we do not use), so installed users get its types, not Any.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "predictkit_api"
PY_TYPED = "# Marker file for PEP 561: predictkit_api ships inline type annotations.\n"


def generate_into(root: Path, dest: Path) -> None:
    """Write the formatted generator output for root's spec into dest/predictkit_api."""
    out = dest / PACKAGE
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(root / "openapi.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(out),
            "--config",
            str(root / "generator-config.yml"),
            "--custom-template-path",
            str(root / "generator-templates"),
            "--overwrite",
            "--fail-on-warning",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ruff = [sys.executable, "-m", "ruff", "--quiet"]
    config = ["--config", str(root / "generator-ruff.toml"), "--no-cache"]
    subprocess.run([*ruff, "check", *config, "--fix-only", "--exit-zero", str(out)], check=True)
    subprocess.run([*ruff, "format", *config, str(out)], check=True)
    (out / "py.typed").write_text(PY_TYPED)


def tree_diff(expected: Path, actual: Path) -> str:
    """Unified diff between two trees of text files (empty when they are the same)."""

    def files(base: Path) -> dict[str, Path]:
        return {
            p.relative_to(base).as_posix(): p
            for p in base.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    left, right = files(expected), files(actual)
    chunks: list[str] = []
    for name in sorted(left.keys() | right.keys()):
        a = left[name].read_text().splitlines(keepends=True) if name in left else []
        b = right[name].read_text().splitlines(keepends=True) if name in right else []
        if a != b:
            chunks.extend(difflib.unified_diff(a, b, f"committed/{name}", f"regenerated/{name}"))
    return "".join(chunks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on drift instead of writing")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    committed = root / "generated" / PACKAGE

    if not args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate_into(root, Path(tmp))
            shutil.rmtree(committed, ignore_errors=True)
            shutil.copytree(Path(tmp) / PACKAGE, committed)
        print(f"regenerated {committed.relative_to(root)}")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        generate_into(root, Path(tmp))
        diff = tree_diff(committed, Path(tmp) / PACKAGE)
    if diff:
        print(diff, end="")
        print(
            "\ngenerated/predictkit_api does not match openapi.yaml + generator-config.yml + "
            "generator-templates/.\nRun `nox -s generate` and commit the result; never edit "
            "generated/ by hand.",
            file=sys.stderr,
        )
        return 1
    print("generated/predictkit_api matches the spec")
    return 0


if __name__ == "__main__":
    sys.exit(main())
