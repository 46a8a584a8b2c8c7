"""What the release tests read from the project's own files, without importing nox."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _noxfile() -> ast.Module:
    return ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))


def _is_nox_session(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) == "nox.session"


def noxfile_constant(name: str) -> Any:
    """The literal value of a module-level ``NAME = <literal>`` in noxfile.py (NAME may be
    dotted: ``nox.options.sessions``)."""
    for node in _noxfile().body:
        if isinstance(node, ast.Assign) and any(ast.unparse(t) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"noxfile.py has no literal {name} = ...")


def nox_sessions() -> dict[str, list[str]]:
    """Every session noxfile.py defines -> the names it answers to (`tests` and `tests-3.12`)."""
    pythons = noxfile_constant("PYTHONS")
    sessions: dict[str, list[str]] = {}
    for node in _noxfile().body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in filter(_is_nox_session, node.decorator_list):
            name = node.name
            per_python = False
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg == "name":
                        name = ast.literal_eval(keyword.value)
                    if keyword.arg == "python":
                        per_python = ast.unparse(keyword.value) == "PYTHONS"
            sessions[name] = [name] + ([f"{name}-{v}" for v in pythons] if per_python else [])
    return sessions


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def readme_section(title: str) -> str:
    """The text of README.md's ``## title`` section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if found is None:
        raise LookupError(f"README.md has no '## {title}' section")
    return found.group(1)
