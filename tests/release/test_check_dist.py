"""tools/check_dist.py refuses the distributions a user must never get (issue 8 item 2, 12)."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import check_dist
import check_release
import pytest

from ._project import ROOT

VERSION = "1.2.3"
DIST_INFO = f"predictkit-{VERSION}.dist-info"
GOOD_WHEEL = {
    "predictkit/__init__.py": "",
    "predictkit/py.typed": "",
    "predictkit/_client.py": "",
    "predictkit_api/__init__.py": "",
    "predictkit_api/py.typed": "# Marker file for PEP 561\n",
    "predictkit_api/models/prediction.py": "",
    f"{DIST_INFO}/METADATA": f"Metadata-Version: 2.4\nName: predictkit\nVersion: {VERSION}\n",
    f"{DIST_INFO}/licenses/LICENSE": "MIT License\n",
    f"{DIST_INFO}/RECORD": "",
}
GOOD_SDIST = {
    f"predictkit-{VERSION}/{name}": "x"
    for name in [
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "pyproject.toml",
        "PKG-INFO",
        "wrapper/predictkit/__init__.py",
        "tests/unit/test_model_ref.py",
    ]
}


def make_wheel(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / f"predictkit-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    return path


def make_sdist(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / f"predictkit-{VERSION}.tar.gz"
    with tarfile.open(path, "w:gz") as sdist:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            sdist.addfile(info, io.BytesIO(data))
    return path


def without(files: dict[str, str], name: str) -> dict[str, str]:
    assert name in files
    return {k: v for k, v in files.items() if k != name}


def test_a_complete_wheel_and_sdist_pass(tmp_path: Path) -> None:
    assert check_dist.problems(make_wheel(tmp_path, GOOD_WHEEL), VERSION) == []
    assert check_dist.problems(make_sdist(tmp_path, GOOD_SDIST), VERSION) == []


@pytest.mark.parametrize(
    "missing",
    [
        "predictkit_api/py.typed",  # the bug of issue 8: installed users got Any
        "predictkit/py.typed",
        "predictkit_api/__init__.py",
        f"{DIST_INFO}/licenses/LICENSE",
    ],
)
def test_a_wheel_without_a_marker_package_or_license_fails(tmp_path: Path, missing: str) -> None:
    wheel = make_wheel(tmp_path, without(GOOD_WHEEL, missing))
    assert check_dist.problems(wheel, VERSION) == [f"missing {missing}"]


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("tests/test_x.py", "unexpected top-level tests"),
        ("predictkit/tests/test_x.py", "tests in a wheel: predictkit/tests/test_x.py"),
        ("predictkit/__pycache__/x.cpython-311.pyc", "cache or bytecode: predictkit/__pycache__/"),
        ("predictkit_api/models/x.pyc", "cache or bytecode: predictkit_api/models/x.pyc"),
        ("predictkit/.mypy_cache/3.11/x.json", "cache or bytecode: predictkit/.mypy_cache/"),
    ],
)
def test_a_wheel_with_tests_or_caches_fails(tmp_path: Path, extra: str, problem: str) -> None:
    found = check_dist.problems(make_wheel(tmp_path, {**GOOD_WHEEL, extra: ""}), VERSION)
    assert any(p.startswith(problem) for p in found), found


def test_a_wheel_of_another_version_fails(tmp_path: Path) -> None:
    found = check_dist.problems(make_wheel(tmp_path, GOOD_WHEEL), "1.2.4")
    assert "missing predictkit-1.2.4.dist-info/METADATA (version other than 1.2.4?)" in found


def test_metadata_must_carry_the_source_version(tmp_path: Path) -> None:
    files = {**GOOD_WHEEL, f"{DIST_INFO}/METADATA": "Name: predictkit\nVersion: 9.9.9\n"}
    found = check_dist.problems(make_wheel(tmp_path, files), VERSION)
    assert found == [f"METADATA says version 9.9.9, the source {VERSION}"]


def test_an_sdist_without_license_or_with_caches_fails(tmp_path: Path) -> None:
    files = without(GOOD_SDIST, f"predictkit-{VERSION}/LICENSE")
    files[f"predictkit-{VERSION}/wrapper/predictkit/__pycache__/x.pyc"] = ""
    found = check_dist.problems(make_sdist(tmp_path, files), VERSION)
    assert found == [
        f"missing predictkit-{VERSION}/LICENSE",
        f"cache or bytecode: predictkit-{VERSION}/wrapper/predictkit/__pycache__/x.pyc",
    ]


def test_the_script_exits_1_and_names_each_problem(tmp_path: Path) -> None:
    file = check_release.VERSION_FILE.read_text(encoding="utf-8")
    source = check_release.source_version(file)
    wheel = tmp_path / f"predictkit-{source}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("predictkit/__init__.py", "")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_dist.py"), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{wheel.name}: missing predictkit_api/py.typed" in result.stderr
