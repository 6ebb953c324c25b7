"""The package's shape: modules import only downward, and no code is written twice."""

import ast
from collections import defaultdict

import networkx as nx

from .conftest import ROOT

PACKAGE = ROOT / "kg"


def _module(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    """Module → the ``kg`` modules it imports, at the top or inside a function."""
    graph = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        name = _module(path)
        graph.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                graph.add_edge(name, node.module)
            elif isinstance(node, ast.Import):
                graph.add_edges_from((name, a.name) for a in node.names if a.name.startswith("kg"))
    return graph


def test_no_module_imports_one_that_imports_it_back():
    graph = import_graph()
    assert len(graph) > 30  # the walk found the package
    assert list(nx.simple_cycles(graph)) == []


_CLOSERS = {")", "]", "}", "),", "],", "},", "else:", "try:", "pass", '"""'}


def repeated_runs(lines_of: dict[str, list[str]], size: int = 6) -> dict[tuple, list]:
    """Runs of ``size`` code lines (stripped; blank lines, comments and lone
    closers left out) that stand in more than one place."""
    places = defaultdict(list)
    for name, lines in lines_of.items():
        code = [(i, s) for i, line in enumerate(lines, 1) if (s := line.strip())]
        code = [(i, s) for i, s in code if not s.startswith("#") and s not in _CLOSERS]
        for k in range(len(code) - size + 1):
            places[tuple(s for _, s in code[k : k + size])].append((name, code[k][0]))
    return {run: where for run, where in places.items() if len(where) > 1}


def test_repeated_runs_finds_a_copied_block():
    block = ["a = f(x)", "b = g(a)", "", "# note", "c = h(b)", "d = a + b", "e = d * c", "return e"]
    found = repeated_runs({"one.py": block, "two.py": ["x = 1", *block], "three.py": block[:5]})
    assert list(found.values()) == [[("one.py", 1), ("two.py", 2)]]  # blank and comment aside
    assert repeated_runs({"one.py": block}) == {}


def test_no_six_lines_of_code_are_written_twice():
    lines_of = {
        str(p.relative_to(ROOT)): p.read_text(encoding="utf-8").splitlines()
        for p in PACKAGE.rglob("*.py")
    }
    assert repeated_runs(lines_of) == {}
