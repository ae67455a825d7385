"""Module boundaries (issue 21 item 7): the package's import graph has no
cycles, no module imports another's private names, caches are bounded, the
cache keys list every module a measure imports, and importing plots leaves
matplotlib's settings alone.

The graph is read from the source (ast), with every import: at module level
and inside functions, relative (``from .x import y``, ``from . import x``)
and absolute (``researchlib.x``)."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "researchlib"
MODULES = {p.stem: p for p in sorted(PACKAGE.glob("*.py"))}
INIT = "__init__"


def _target(node, module):
    """(module imported, names imported from it) for one import node, or
    None when it imports nothing of the package. ``from . import x`` imports
    module x; ``from . import name`` imports the package (__init__)."""
    if isinstance(node, ast.ImportFrom):
        if node.level > 1:
            raise AssertionError(f"{module}: relative import above the package: line {node.lineno}")
        if node.level == 1:
            dotted = node.module or ""
        elif node.module and node.module.split(".")[0] == "researchlib":
            dotted = node.module.partition(".")[2]
        else:
            return []
        if not dotted:       # from . import a, b
            return [(a.name, []) if a.name in MODULES else (INIT, [a.name]) for a in node.names]
        return [(dotted.split(".")[0], [a.name for a in node.names])]
    if isinstance(node, ast.Import):
        return [(a.name.split(".")[1] if "." in a.name else INIT, [])
                for a in node.names if a.name.split(".")[0] == "researchlib"]
    return []


def _imports(module):
    """[(imported module, [names], line)] of every import in ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        for target, names in _target(node, module):
            out.append((target, names, node.lineno))
    return out


@pytest.fixture(scope="module")
def graph():
    return {m: {t for t, _, _ in _imports(m) if t != m} for m in MODULES}


def _cycle(graph):
    """One import cycle as a list of modules, or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_graph_reader_sees_every_kind_of_import(graph):
    assert "distributed" in graph["analyse"]          # inside a function
    assert "readers" in graph["tables"]               # module level
    assert graph[INIT] >= {"corpus", "terms", "sentiment"}
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_cycles(graph):
    unknown = {t for deps in graph.values() for t in deps} - set(MODULES)
    assert not unknown, f"imports of modules that do not exist: {unknown}"
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_module_imports_private_names_of_another():
    found = [f"{m}.py:{line}: from {t} import {name}"
             for m in MODULES for t, names, line in _imports(m)
             for name in names if t != m and name.startswith("_") and not name.startswith("__")]
    assert not found, "private names imported across modules:\n" + "\n".join(found)


def test_no_module_reads_private_attributes_of_another():
    """``from . import x`` or ``import researchlib.x as y`` then ``x._name``."""
    found = []
    for m, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module:
                aliases.update({a.asname or a.name: a.name for a in node.names if a.name in MODULES})
            elif isinstance(node, ast.Import):
                aliases.update({a.asname: a.name.split(".")[1] for a in node.names
                                if a.asname and a.name.startswith("researchlib.")})
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and aliases.get(node.value.id, m) != m and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                found.append(f"{m}.py:{node.lineno}: {node.value.id}.{node.attr}")
    assert not found, "\n".join(found)


def _closure(graph, root):
    seen, todo = set(), [root]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += graph.get(m, ())
    return seen


def test_each_measure_key_lists_every_module_the_measure_imports(graph):
    """The cache key of a measure hashes the modules listed for it
    (batches.MEASURES): the list must hold its module and all it imports, so
    that a change to any of them gives a new key."""
    from researchlib.batches import MEASURES
    roots = {"core": "corpus", "terms": "terms", "sentiment": "sentiment", "frames": "frames", "dates": "timeline"}
    assert set(roots) == set(MEASURES)
    for measure, root in roots.items():
        missing = _closure(graph, root) - set(MEASURES[measure].modules)
        assert not missing, f"batches.MEASURES[{measure!r}] lacks {sorted(missing)} (imported by {root})"
        assert set(MEASURES[measure].modules) <= set(MODULES)


#: Module-level caches owned by another branch, to go when it lands.
CACHE_EXCEPTIONS = {("news", "_CACHE")}     # issue 21 item 1: news.score_news's cache (news branch)


def _cache_problems(module, tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in node.decorator_list:        # a bare @lru_cache has the default size, unstated
                if getattr(d, "id", getattr(d, "attr", None)) in ("lru_cache", "cache"):
                    yield f"{module}.py:{d.lineno}: @{ast.unparse(d)} without an explicit maxsize"
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "lru_cache":
            size = {k.arg: k.value for k in node.keywords}.get("maxsize", node.args[0] if node.args else None)
            if not (isinstance(size, ast.Constant) and isinstance(size.value, int)):
                yield f"{module}.py:{node.lineno}: {ast.unparse(node)}: maxsize must be a number"
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            v = node.value
            empty = isinstance(v, (ast.Dict, ast.Set, ast.List)) and not (getattr(v, "keys", None) or getattr(v, "elts", None)) \
                or isinstance(v, ast.Call) and getattr(v.func, "id", "") in ("dict", "set", "list") and not v.args
            for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if empty and isinstance(t, ast.Name) and (module, t.id) not in CACHE_EXCEPTIONS:
                    yield f"{module}.py:{node.lineno}: module-level {t.id} starts empty (an ad-hoc cache?)"


def test_caches_are_bounded_lru_caches():
    """One kind of cache: functools.lru_cache with an explicit maxsize; no
    ``functools.cache`` (unbounded), no bare ``@lru_cache`` and no
    module-level dict, set or list filled at run time."""
    found = [problem for m, path in MODULES.items()
             for problem in _cache_problems(m, ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "\n".join(found)


def test_the_cache_check_finds_ad_hoc_caches():
    code = ("from functools import cache, lru_cache\n_SEEN: dict = {}\n_MADE = set()\nNAMES = {'a': 1}\n"
            "@lru_cache\ndef f(x): pass\n@lru_cache(maxsize=None)\ndef g(x): pass\n"
            "@cache\ndef h(x): pass\n@lru_cache(maxsize=8)\ndef k(x): pass\n")
    found = list(_cache_problems("m", ast.parse(code)))
    assert sorted(int(f.split(":")[1]) for f in found) == [2, 3, 5, 7, 9]


def test_importing_plots_leaves_matplotlib_settings_alone():
    # a subprocess on purpose: the first import of researchlib.plots must happen in a fresh interpreter
    code = ("import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt;"
            "before = dict(plt.rcParams); import researchlib.plots;"
            "changed = {k for k in before if plt.rcParams[k] != before[k]}; print(sorted(changed))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_plots_draw_in_the_house_style_and_restore_the_settings():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from researchlib import plots
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"], "n_words": [10, 20, 30]})
    before = dict(plt.rcParams)
    fig = plots.documents_bar(docs)
    assert {k for k in before if plt.rcParams[k] != before[k]} == set()
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert fig.dpi == plots.STYLE["figure.dpi"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Y", "X"]   # bottom-up: most articles on top
    assert [p.get_width() for p in ax.patches] == [1, 2]           # articles per outlet
    plt.close(fig)
