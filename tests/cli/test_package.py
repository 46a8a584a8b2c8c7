"""The CLI is an optional extra: ``import predictkit`` never loads click or rich, and without
them the command says which extra to install. Exit codes: one table in code, the same in the
README."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from predictkit import (
    APIConnectionError,
    ConflictError,
    CreateOutcomeUnknownError,
    MissingTokenError,
    NotFoundError,
    PredictionFailedError,
    RateLimitError,
    ServerError,
    UploadError,
    ValidationError,
    WaitTimeoutError,
)
from predictkit.cli._errors import (
    BROKEN_PIPE,
    CANCELLED,
    EXIT_CODES,
    INTERRUPTED,
    UNEXPECTED,
    exit_code,
    one_line,
)

README = Path(__file__).parents[2] / "README.md"


def test_import_predictkit_loads_no_cli_library() -> None:
    # httpx (a runtime dependency, imported first) loads click and rich itself when both are
    # installed, for its own `httpx` command; what counts is what predictkit adds after it.
    code = (
        "import sys, httpx; before = set(sys.modules); "
        "import predictkit, predictkit.predictions; "
        "print(sorted(m for m in set(sys.modules) - before "
        "if m.split('.')[0] in {'click', 'rich', 'pygments'} or m.startswith('predictkit.cli')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


def test_without_the_extra_the_command_names_it() -> None:
    code = (
        "import sys, runpy\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name in ('click', 'rich'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "runpy.run_module('predictkit', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 1
    assert "pip install 'predictkit[cli]'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        (MissingTokenError, 3),
        (NotFoundError, 4),
        (ConflictError, 5),
        (ValidationError, 6),
        (RateLimitError, 7),
        (ServerError, 8),
        (APIConnectionError, 9),
        (WaitTimeoutError, 10),
        (CreateOutcomeUnknownError, 11),
        (UploadError, 12),
        (PredictionFailedError, 13),
        (ValueError, 2),
        (KeyError, UNEXPECTED),
    ],
)
def test_exit_code_per_error_class(cls: type[BaseException], code: int) -> None:
    assert exit_code(cls.__new__(cls)) == code  # by class alone: constructors vary


def test_unexpected_errors_name_their_class_and_the_debug_flag() -> None:
    assert (
        one_line(KeyError("x")) == "unexpected KeyError: 'x' (run with --debug for the traceback)"
    )
    assert one_line(ServerError("a\n  b", status_code=500)) == "a b"


def test_subclasses_come_before_their_bases() -> None:
    for i, (cls, _) in enumerate(EXIT_CODES):
        for base, _ in EXIT_CODES[:i]:
            assert not issubclass(cls, base) or cls is base, f"{cls} is shadowed by {base}"


def test_the_readme_table_is_the_code_table() -> None:
    text = README.read_text()
    section = text[text.index("## Command line") :]
    section = section[: section.index("\n## ", 3)]
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M))
    documented = {int(code): classes for code, classes in table.items()}
    coded: dict[int, set[str]] = {}
    for cls, code in EXIT_CODES:
        coded.setdefault(code, set()).add(cls.__name__)
    assert set(documented) == {0, UNEXPECTED, CANCELLED, INTERRUPTED, BROKEN_PIPE} | set(coded)
    for code, names in coded.items():
        assert set(re.findall(r"`(\w+)`", documented[code])) >= names - {"CliError"}, code
