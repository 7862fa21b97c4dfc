"""docs/domain-rules.md names, for each rule, the test that shows it: every test it names exists
(a renamed or deleted test fails here, not silently in the document)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"(tests/[\w/]+\.py)?::(\w+)|(tests/[\w/]+\.py)")


def named_tests() -> list[tuple[str, str | None]]:
    """(file, function or None) for each test the document names; `::name` alone refers to the
    file named before it in the same cell."""
    found: list[tuple[str, str | None]] = []
    for line in (ROOT / "docs" / "domain-rules.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| Rule"):
            continue
        cell, current = line.rstrip(" |").rsplit(" | ", 1)[-1], None
        for match in REFERENCE.finditer(cell):
            path, name, bare = match.groups()
            current = path or bare or current
            assert current is not None, line
            found.append((current, name))
    return found


def test_every_test_the_rules_name_exists() -> None:
    names = named_tests()
    assert len(names) >= 80
    missing = []
    defined: dict[str, set[str]] = {}  # the functions of each file named, parsed once
    for path, name in names:
        file = ROOT / path
        if not file.exists():
            missing.append(path)
            continue
        if name is None:
            continue
        if path not in defined:
            tree = ast.parse(file.read_text(encoding="utf-8"))
            defined[path] = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        if name not in defined[path]:
            missing.append(f"{path}::{name}")
    assert missing == []
