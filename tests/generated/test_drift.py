"""The drift check (`python tools/regen.py --check`, CI's `nox -s check_generated`).

Each test copies what generation reads (spec, generator config, ruff config, templates, the
committed output and tools/) into tmp_path and runs tools/regen.py on the copy, so the checkout
is never touched. Each generation takes about 2 s; these tests stay in the default run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COPIED_FILES = ["openapi.yaml", "generator-config.yml", "generator-ruff.toml"]
COPIED_DIRS = ["generator-templates", "generated", "tools"]
WEBHOOK_MODEL = "models/webhook.py"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    root.mkdir()
    for name in COPIED_FILES:
        shutil.copy2(REPO / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED_DIRS:
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    return root


def regen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
        [sys.executable, str(root / "tools" / "regen.py"), *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def edit_webhook_schema(root: Path, *, new_property: bool, new_description: bool) -> None:
    """Edit components.schemas.Webhook in the copied spec, as a developer would by hand."""
    spec = root / "openapi.yaml"
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("    Webhook:\n")
    if new_description:
        assert lines[start + 1].startswith("      description: ")
        lines[start + 1] = "      description: Where to POST prediction updates (drift test).\n"
    if new_property:
        props = next(i for i in range(start, len(lines)) if lines[i] == "      properties:\n")
        lines.insert(
            props + 1,
            "        events:\n"
            "          type: array\n"
            "          items: {type: string}\n"
            "          description: Which events to deliver (drift test).\n",
        )
    spec.write_text("".join(lines), encoding="utf-8")


def assert_clean(root: Path) -> None:
    result = regen(root, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generated/predictkit_api matches the spec" in result.stdout
    assert result.stderr == ""


def assert_drift(root: Path, changed: str) -> str:
    result = regen(root, "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"--- committed/{changed}" in result.stdout
    assert f"+++ regenerated/{changed}" in result.stdout
    assert "nox -s generate" in result.stderr
    assert "never edit generated/ by hand" in result.stderr
    return result.stdout


def test_committed_output_matches_spec(checkout: Path) -> None:
    assert_clean(checkout)


def test_new_optional_property_is_drift_until_regenerated(checkout: Path) -> None:
    edit_webhook_schema(checkout, new_property=True, new_description=False)

    diff = assert_drift(checkout, WEBHOOK_MODEL)
    assert "+    events: list[str] | None = None" in diff
    # Only the edited schema's module changes.
    changed = {line[len("+++ regenerated/") :] for line in diff.splitlines() if line[:4] == "+++ "}
    assert changed == {WEBHOOK_MODEL}

    result = regen(checkout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "regenerated generated/predictkit_api" in result.stdout
    webhook = (checkout / "generated" / "predictkit_api" / WEBHOOK_MODEL).read_text()
    assert "events: list[str] | None = None" in webhook
    assert_clean(checkout)


def test_changed_description_is_drift(checkout: Path) -> None:
    edit_webhook_schema(checkout, new_property=False, new_description=True)
    diff = assert_drift(checkout, WEBHOOK_MODEL)
    assert '+    """Where to POST prediction updates (drift test)."""' in diff


def test_hand_edit_of_generated_code_is_drift(checkout: Path) -> None:
    target = checkout / "generated" / "predictkit_api" / WEBHOOK_MODEL
    target.write_text(target.read_text() + "# hand edit\n")
    diff = assert_drift(checkout, WEBHOOK_MODEL)
    assert "-# hand edit" in diff


def test_stray_generated_file_is_drift(checkout: Path) -> None:
    stray = checkout / "generated" / "predictkit_api" / "models" / "stray.py"
    stray.write_text("X = 1\n")
    diff = assert_drift(checkout, "models/stray.py")
    assert "-X = 1" in diff
