"""The dependency rule of ARCHITECTURE.md, enforced over the runtime imports of every module of the kit.

Imports under ``if TYPE_CHECKING:`` name types only and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "conformance"
FOUNDATION = {"errors", "paths", "requirements", "results", "redaction", "secret_values", "options", "conformance"}

# layer -> the layers (besides itself and the foundation) it may import at run time
ALLOWED: dict[str, set[str]] = {
    "target": set(),
    "housekeeping": {"target"},
    "checks": {"target"},
    "reporting": set(),
    "preflight": {"target"},
    "plugin": {"target", "housekeeping", "checks", "reporting", "preflight"},
    "cli": {"target", "housekeeping", "reporting", "preflight"},
    "suite": {"target", "housekeeping", "checks", "plugin"},
}


def layer_of(path: Path) -> str:
    """``target`` for conformance/target/client.py, ``errors`` for conformance/errors.py."""
    relative = path.relative_to(PACKAGE)
    if len(relative.parts) == 1:
        return "conformance" if relative.stem == "__init__" else relative.stem
    return relative.parts[0]


def runtime_imports(path: Path) -> set[str]:
    """The ``conformance.*`` modules a file imports when it runs (type-checking blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(node) for block in ast.walk(tree) if _is_type_checking_block(block)
                 for node in ast.walk(block)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return {name for name in found if name == "conformance" or name.startswith("conformance.")}


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imported_layer(module: str) -> str:
    """``target`` for ``conformance.target.client``; ``conformance`` for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "conformance"


def kit_files() -> list[Path]:
    """Every Python file of the package."""
    return sorted(PACKAGE.rglob("*.py"))


def violations(allowed_for: dict[str, set[str]]) -> list[str]:
    """``file imports module`` for every import the rule forbids."""
    found = []
    for path in kit_files():
        layer = layer_of(path)
        if layer == "emulator":
            continue
        permitted = FOUNDATION | {layer} | allowed_for.get(layer, set())
        found += [f"{path.relative_to(PACKAGE.parent)} imports {module}" for module in sorted(runtime_imports(path))
                  if imported_layer(module) not in permitted]
    return found


def test_layers_import_only_what_the_rule_allows() -> None:
    """Each layer imports only the foundation, itself and the layers ARCHITECTURE.md lets it use."""
    assert [] == violations(ALLOWED)


def test_the_emulator_imports_nothing_of_the_kit() -> None:
    """The emulator reaches no other part of the kit: the suite meets it over HTTP only."""
    emulator = [p for p in kit_files() if layer_of(p) == "emulator"]
    found = [f"{p.name} imports {m}" for p in emulator for m in sorted(runtime_imports(p))
             if not m.startswith("conformance.emulator")]
    assert [] == found


def test_nothing_imports_the_suite() -> None:
    """The suite is the leaf: no kit module imports it (the CLI finds it by path)."""
    found = [f"{p.name} imports {m}" for p in kit_files() if layer_of(p) != "suite"
             for m in runtime_imports(p) if imported_layer(m) == "suite"]
    assert [] == found


def test_the_foundation_imports_only_the_foundation() -> None:
    """errors, paths, requirements, results, redaction and options stand on nothing else of the kit."""
    foundation = [p for p in kit_files() if layer_of(p) in FOUNDATION - {"conformance"}]
    found = [f"{p.name} imports {m}" for p in foundation for m in sorted(runtime_imports(p))
             if imported_layer(m) not in FOUNDATION]
    assert [] == found


@pytest.mark.parametrize(("source", "expected"), [
    ("from conformance.plugin.options import X\n", ["conformance.plugin.options"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from conformance.plugin import x\n", []),
])
def test_the_rule_sees_imports_and_skips_type_only_ones(tmp_path: Path, source: str, expected: list[str]) -> None:
    """The checker itself: a runtime import is seen; one under TYPE_CHECKING is not."""
    module = tmp_path / "module.py"
    module.write_text(source)
    assert expected == sorted(runtime_imports(module))
