"""Shared set-up: the dbt manifest is built once, before any test module imports the definitions;
tests that share a built warehouse stay on one pytest-xdist worker (`./dev test` runs two)."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).parent


def pytest_sessionstart(session):
    # At session start, not in a fixture: collecting a module that imports creditwh.definitions
    # already needs target/manifest.json (a fresh clone has none).
    from creditwh.dbt_project import ensure_manifest

    ensure_manifest()


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(config, items):
    """Mark with one xdist_group the tests that share a warehouse built by a module- or session-scoped
    fixture of this suite: under `--dist loadgroup` such a build is made once, on one worker, and the
    tests that build their own warehouse spread over the workers one by one."""
    if not config.pluginmanager.hasplugin("xdist"):  # -p no:xdist: nothing reads the marks
        return
    groups = _shared_build_groups(items)
    for item in items:
        if (group := groups.get(item.module.__name__ if item.module else None)) is not None:
            item.add_marker(pytest.mark.xdist_group(group))


def _shared_build_groups(items) -> dict[str, str]:
    """module name -> group name, for the modules whose tests use a shared fixture of the suite; modules
    using the same session-scoped fixture fall in one group."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for item in items:
        if item.module is None:
            continue
        for defs in getattr(item, "_fixtureinfo").name2fixturedefs.values():
            fixture = defs[-1]
            if fixture.scope == "function" or not _is_the_suites(fixture.func):
                continue
            scope_node = f"session:{fixture.argname}" if fixture.scope == "session" else item.module.__name__
            parent[root(item.module.__name__)] = root(scope_node)
    return {node: root(node) for node in parent if not node.startswith("session:")}


def _is_the_suites(func) -> bool:
    code = getattr(func, "__code__", None)
    return code is not None and Path(code.co_filename).is_relative_to(TESTS_DIR)
