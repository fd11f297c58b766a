"""The layers of the package, read from its import statements (those inside functions too):
warehouse safety (creditwh.warehouse) reaches neither Dagster nor the Dagster layer (creditwh.defs),
and nothing below the Dagster layer imports it; only creditwh.definitions assembles it."""

from __future__ import annotations

import ast
from pathlib import Path

from creditwh.warehouse.settings import REPO_ROOT

PACKAGE_DIR = REPO_ROOT / "orchestration" / "creditwh"
ASSEMBLY = "creditwh.definitions"  # loads the defs/ modules, as dagster-open-platform's definitions.py


def _module_name(path: Path, package_dir: Path = PACKAGE_DIR) -> str:
    parts = path.relative_to(package_dir.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package_dir: Path = PACKAGE_DIR) -> set[str]:
    """Every module a file of the package imports, relative imports made absolute."""
    module = _module_name(path, package_dir)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(filter(None, [base, node.module]))
            found.add(name)
            found |= {f"{name}.{alias.name}" for alias in node.names}  # `from creditwh import defs`
    return found


def import_graph() -> dict[str, set[str]]:
    return {_module_name(path): imports_of(path) for path in PACKAGE_DIR.rglob("*.py")}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def reachable_from(graph: dict[str, set[str]], roots: set[str]) -> set[str]:
    """The creditwh modules the roots import, directly or through one another."""
    seen, todo = set(), list(roots)
    while todo:
        module = todo.pop()
        if module in graph and module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    return seen


def _dagster_free_violations(graph: dict[str, set[str]], package: str) -> list[tuple[str, str]]:
    reached = reachable_from(graph, {m for m in graph if _within(m, package)})
    return sorted((module, name) for module in reached for name in graph[module]
                  if name.split(".")[0].startswith("dagster") or _within(name, "creditwh.defs")
                  or name == ASSEMBLY)


def test_warehouse_safety_reaches_no_dagster():
    graph = import_graph()
    assert any(_within(m, "creditwh.warehouse") for m in graph)
    assert _dagster_free_violations(graph, "creditwh.warehouse") == []


def test_nothing_below_the_dagster_layer_imports_it():
    graph = import_graph()
    upward = sorted((module, name) for module, names in graph.items() for name in names
                    if _within(name, "creditwh.defs") and not _within(module, "creditwh.defs") and module != ASSEMBLY)
    assert upward == []


def test_the_checks_see_an_upward_import(tmp_path):
    """The rules above fail on the imports they forbid (build_state importing defs, as it once did)."""
    graph = import_graph()
    graph["creditwh.warehouse.build_state"] = graph["creditwh.warehouse.build_state"] | {"creditwh.defs.dbt.project"}
    violations = _dagster_free_violations(graph, "creditwh.warehouse")
    assert ("creditwh.warehouse.build_state", "creditwh.defs.dbt.project") in violations
    assert ("creditwh.defs.dbt.project", "dagster_dbt") in violations  # and what it reaches through it
    source = tmp_path / "creditwh" / "warehouse" / "lock.py"
    source.parent.mkdir(parents=True)
    source.write_text("import dagster as dg\nfrom ..defs import resources\n", encoding="utf-8")
    assert {"dagster", "creditwh.defs", "creditwh.defs.resources"} <= imports_of(source, tmp_path / "creditwh")
