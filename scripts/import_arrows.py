"""Count the import arrows between the top-level modules of ``alphasierra``.

Reads every module outside tests and migrations with ``ast`` (nothing is
imported), counts module-level and function-level imports, tells which arrows
point upward through the three layers of DESIGN.md « Architecture », and lists
the cycles between top-level modules and between modules. ``lint-imports`` is
the gate; this is the map.

    .tools/bin/uv run --frozen python scripts/import_arrows.py
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "alphasierra"
SITE = {"pages", "urls", "demo", "testing", "wsgi", "settings"}
DOMAIN = {"agents", "transfers", "associations"}
LAYER = dict.fromkeys(SITE, 2) | dict.fromkeys(DOMAIN, 1)


def layer(top: str) -> int:
    return LAYER.get(top, 0)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, name: str) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function, line) for each alphasierra import."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, inner, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                # "from x import y" names the module x.y when there is one, else an attribute of x.
                found.extend((f"{base}.{alias.name}|{base}", inner, child.lineno) for alias in child.names)
            visit(child, inner)

    visit(tree, False)
    return [(target, inner, line) for target, inner, line in found if target.startswith(PACKAGE + ".")]


def resolve(target: str, modules: dict[str, Path]) -> str:
    if "|" not in target:
        return target
    module, _, parent = target.partition("|")
    return module if module in modules else parent


def main() -> None:
    modules = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        modules[module_name(path)] = path
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    module_edges: dict[str, set[str]] = defaultdict(set)
    nested_imports = []
    for name, path in modules.items():
        source_top = name.split(".")[1] if "." in name else name
        for candidate, inner, line in imported(path, name):
            target = resolve(candidate, modules)
            if inner:
                nested_imports.append(f"{path.relative_to(ROOT)}:{line} -> {target}")
            target_top = target.split(".")[1]
            if target in modules and target != name:
                module_edges[name].add(target)
            if target_top == source_top:
                continue
            where = f"{path.relative_to(ROOT)}:{line}{' (in a function)' if inner else ''}"
            arrows[(source_top, target_top)].append(where)
    upward = {pair: where for pair, where in arrows.items() if layer(pair[1]) > layer(pair[0])}
    print(f"arrows between top-level modules: {len(arrows)} ({sum(map(len, arrows.values()))} import lines)")
    print(f"upward arrows: {len(upward)} ({sum(map(len, upward.values()))} import lines)")
    for (source, target), lines in sorted(upward.items()):
        print(f"  {source} -> {target}: {', '.join(lines)}")
    domain = {pair: where for pair, where in arrows.items() if pair[0] in DOMAIN and pair[1] in DOMAIN}
    print(f"arrows inside the domain layer: {len(domain)}")
    for (source, target), lines in sorted(domain.items()):
        print(f"  {source} -> {target}: {len(lines)} line(s)")
    print(f"alphasierra imports inside functions: {len(nested_imports)}")
    for nested in nested_imports:
        print(f"  {nested}")
    top_edges: dict[str, set[str]] = defaultdict(set)
    for source, target in arrows:
        top_edges[source].add(target)
    print("cycles between top-level modules:")
    for cycle in cycles(top_edges):
        print("  " + " -> ".join([*cycle, cycle[0]]))
    print("cycles between modules:")
    for cycle in cycles(module_edges):
        print("  " + " -> ".join([*cycle, cycle[0]]))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    sys.setrecursionlimit(10000)

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


if __name__ == "__main__":
    main()
