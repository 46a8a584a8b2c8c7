"""Imports run one way: client -> resources -> shared layer -> errors, with no cycle, and the
generated package never imports predictkit.

Read from the source, so the test does not depend on what happens to be imported already.
Imports under ``if TYPE_CHECKING:`` are skipped (only type checkers follow them); imports inside
functions count (they are dependencies too, only later), except those on UPWARD_LAZY.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = ROOT / "wrapper" / "predictkit"
GENERATED = ROOT / "generated" / "predictkit_api"

LAYERS = {
    # module -> layer; a module may import only from its own layer or lower ones
    "predictkit._client": 3,
    "predictkit.resources": 2,
    "predictkit._api": 1,
    "predictkit._http": 1,
    "predictkit._call": 1,
    "predictkit._error_map": 1,
    "predictkit.pagination": 1,
    "predictkit.model_ref": 1,
    "predictkit._errors": 0,
}


def module_name(path: Path, root: Path, package: str) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((package, *parts))


UPWARD_LAZY: set[tuple[str, str]] = set()  # none left: json_or_none moved into _errors


def runtime_imports(path: Path, package: str) -> set[str]:
    """Modules imported at run time (TYPE_CHECKING blocks skipped), absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    here = package.split(".")
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import):
                found.update(alias.name for alias in sub.names)
            elif isinstance(sub, ast.ImportFrom):
                if sub.level:
                    base = here[: len(here) - sub.level + 1]
                    module = ".".join(base + ([sub.module] if sub.module else []))
                else:
                    module = sub.module or ""
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in sub.names)
    return found


def wrapper_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in WRAPPER.rglob("*.py"):
        if "testing" in path.parts:
            continue  # the reference server is an extra, outside the client's layers
        name = module_name(path, WRAPPER, "predictkit")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = {m for m in runtime_imports(path, package) if m.startswith("predictkit.")}
    modules = set(graph)
    return {
        name: {m for m in deps if m in modules and (name, m) not in UPWARD_LAZY}
        for name, deps in graph.items()
    }


def layer(module: str) -> int | None:
    for prefix, level in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return level
    return None


def test_no_import_cycle_in_the_wrapper() -> None:
    graph = wrapper_graph()
    assert "predictkit._api" in graph and "predictkit.resources._binding" in graph
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            assert state.get(dep) != 1, " -> ".join([*trail, node, dep])
            if dep not in state:
                visit(dep, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_imports_run_from_client_to_errors() -> None:
    def upward(module: str, dep: str) -> bool:
        level, dep_level = layer(module), layer(dep)
        return level is not None and dep_level is not None and dep_level > level

    wrong = [
        f"{module} imports {dep}"
        for module, deps in wrapper_graph().items()
        for dep in deps
        if upward(module, dep)
    ]
    assert wrong == []


def test_generated_never_imports_predictkit() -> None:
    offenders = []
    for path in GENERATED.rglob("*.py"):
        name = module_name(path, GENERATED, "predictkit_api")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for sub in ast.walk(tree):
            names = []
            if isinstance(sub, ast.Import):
                names = [a.name for a in sub.names]
            elif isinstance(sub, ast.ImportFrom) and not sub.level:
                names = [sub.module or ""]
            offenders += [f"{package}: {n}" for n in names if n.split(".")[0] == "predictkit"]
    assert offenders == []


def test_the_cycle_check_can_fail() -> None:
    graph = {"a": {"b"}, "b": {"a"}}
    state: dict[str, int] = {}
    found = []

    def visit(node: str) -> None:
        state[node] = 1
        for dep in graph[node]:
            if state.get(dep) == 1:
                found.append((node, dep))
            elif dep not in state:
                visit(dep)
        state[node] = 2

    visit("a")
    assert found == [("b", "a")]
