"""The package's layout is its architecture: the stages below the engine never
import the engine, the output writer or the faces, and no package imports one
that comes after it in the pipeline."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "sitegen"
# each package (or shared module), and what it may import of sitegen
ALLOWED = {
    "content": {"errors", "reuse", "i18n"},
    "markdown": {"errors", "reuse", "i18n", "content", "words"},
    "redline": {"errors", "reuse", "i18n", "markdown", "inert", "words"},
    "site": {"errors", "reuse", "i18n", "content", "markdown", "redline"},
    "output": {"errors"},
    "engine": {"errors", "reuse", "i18n", "content", "markdown", "redline", "site", "output",
               "words", "__init__"},
    "i18n": {"reuse"},
    "reuse": set(),
    "errors": {"inert"},
    "httpd": set(),
    "inert": set(),
    "words": set(),
}


def imported(path: Path) -> set[str]:
    """The sitegen packages and top-level modules that ``path`` imports (relatively)."""
    own = path.relative_to(PACKAGE).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(own[:len(own) - node.level + 1])
            names = [*base, *(node.module or "").split(".")] if node.module else base
            names = [n for n in names if n]
            if names:
                found.add(names[0])
            else:
                found.update(alias.name if alias.name != "__version__" else "__init__"
                             for alias in node.names)
    return found


def test_each_stage_imports_only_what_comes_before_it() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        unit = parts[0] if len(parts) > 1 else path.stem
        if unit not in ALLOWED:
            continue                          # the faces: cli, serve, scaffold, __init__
        for name in imported(path) - ALLOWED[unit] - {unit}:
            wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_every_package_says_what_it_does_and_never_does() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8"))) or ""
        assert "never" in doc, f"{init.relative_to(PACKAGE)}: say what it never does"
