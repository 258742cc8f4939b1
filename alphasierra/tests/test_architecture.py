"""The shape of the code that import-linter does not see (``make lint`` checks
the layers): modules a newcomer can read at once, and no import hidden in a
function to step round a cycle."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
MAX_LINES = 300
# DESIGN.md, rule 8: one settings module, read from top to bottom.
LONGER_ALLOWED = {"settings.py"}


def modules() -> list[Path]:
    return [
        path for path in sorted(PACKAGE.rglob("*.py")) if "tests" not in path.parts and "migrations" not in path.parts
    ]


def imports_in_functions(source: str) -> list[int]:
    """Lines importing the portal inside a function. The one exception: an
    app connects its signal receivers when Django is ready (AppConfig.ready),
    as Django documents."""
    lines = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or function.name == "ready":
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.startswith("alphasierra") for name in names):
                lines.append(node.lineno)
    return lines


def test_no_module_is_longer_than_a_newcomer_reads_at_once():
    assert len(modules()) > 100  # the walk finds the portal
    long = [
        f"{path.relative_to(PACKAGE)}: {lines} lines"
        for path in modules()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
        and str(path.relative_to(PACKAGE)) not in LONGER_ALLOWED
    ]

    assert long == []


def test_the_portal_s_imports_stand_at_the_top_of_their_module():
    hidden = [
        f"{path.relative_to(PACKAGE)}:{line}" for path in modules() for line in imports_in_functions(path.read_text())
    ]

    assert hidden == []


def test_an_import_in_a_function_is_seen_but_not_in_ready():
    source = """
from alphasierra.agents.models import Agent

def view():
    from alphasierra.transfers.models import Transfer
    import alphasierra.pages

class Config:
    def ready(self):
        from alphasierra.agents import receivers
"""

    assert imports_in_functions(source) == [5, 6]
