"""Notebook parameters are data, never code.

A notebook's ``parameters`` cell is its signature (papermill). ``researchlib
report -p KEY VALUE`` and ``build_report(params=...)`` pass values into it;
papermill writes them as Python assignments into an injected cell, so a value
must never be able to become anything but a literal there.

Method
------
* ``from_cli``: the command-line text is read as JSON (``3``, ``true``,
  ``null``, ``["vader"]``, ``{"text": "body"}``, ``"quoted"``); anything
  that is not JSON is the plain string as typed (``-p codebook policy``).
  Never ``eval`` or ``ast.literal_eval``: no tuples, sets or expressions.
* ``check_value``: only JSON-like values: None, bool, int, finite float, str
  (valid Unicode), lists and dicts with string keys of them.
* ``check_parameters``: each value is checked against the declared parameter
  of every selected notebook that names it (``papermill.inspect_notebook``):
  its annotation when given, else the type of its literal default (a string
  default takes a string, a list default a list, ``None`` anything JSON-like).
* ``injected_cell`` / ``check_literal_cell``: the cell papermill will inject
  (its own ``PythonTranslator``) is parsed with ``ast`` and must hold only
  ``NAME = literal`` statements whose ``ast.literal_eval`` equals the value
  given, type for type; otherwise nothing runs.

Known limits
------------
* A string default takes only a string: ``-p by 2022`` is refused (a
  number); pass the text as JSON, ``-p by '"2022"'``.
* Whether a string names an existing column, file or codebook is checked by
  the notebook when it runs, not here.
"""
from __future__ import annotations

import ast
import io
import json
import math
import re
import tokenize
from pathlib import Path

from .errors import ParameterError

__all__ = ["notebook_parameters", "from_cli", "check_value", "declared_kind", "check_parameters", "injected_cell",
           "check_literal_cell", "same_data"]

MAX_DEPTH = 20
KINDS = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}
_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a mapping", type(None): "null"}


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number")


def from_cli(text: str):
    """``-p`` text -> value: JSON when it parses (finite numbers only), else
    the text itself as a string."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return text


def _word(v):
    return _TYPE_WORDS.get(type(v), type(v).__name__)


def check_value(name: str, value, depth=0):
    """Raise ParameterError unless ``value`` is JSON-like data."""
    if depth > MAX_DEPTH:
        raise ParameterError(f"parameter {name}: nested more than {MAX_DEPTH} levels deep")
    if value is None or type(value) in (bool, int):
        if type(value) is int and value.bit_length() > 64 * 8:
            raise ParameterError(f"parameter {name}: integer too large")
        return
    if type(value) is float:
        if not math.isfinite(value):
            raise ParameterError(f"parameter {name}: {value} is not a finite number")
        return
    if type(value) is str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParameterError(f"parameter {name}: the text is not valid Unicode (a lone surrogate)") from None
        return
    if type(value) is list:
        for v in value:
            check_value(name, v, depth + 1)
        return
    if type(value) is dict:
        for k, v in value.items():
            if type(k) is not str:
                raise ParameterError(f"parameter {name}: mapping keys must be text, not {k!r}")
            check_value(name, k, depth + 1)
            check_value(name, v, depth + 1)
        return
    raise ParameterError(f"parameter {name}: {type(value).__name__} values are not accepted; use text, "
                         "numbers, true/false, null, lists or mappings of them (JSON)")


def notebook_parameters(path) -> dict:
    """The parameters notebook ``path`` declares, as ``papermill.inspect_notebook``
    gives them (``{name: {"name", "inferred_type_name", "default", "help"}}``),
    read from its code cell tagged ``parameters`` by Python's own parser:
    ``name = default`` or ``name: annotation = default``, each with an
    optional ``# help`` comment on its last line. papermill's line parser
    misses annotations such as ``bool | None`` (02_sentiment's ``news``, which
    ``-p news true`` could then not set)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cell = next((c for c in nb.get("cells", []) if c.get("cell_type") == "code"
                 and "parameters" in (c.get("metadata") or {}).get("tags", [])), None)
    if cell is None:
        return {}
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    comments = {t.start[0]: t.string[1:].strip()
                for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT}
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, annotation = node.targets[0].id, "None"
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, annotation = node.target.id, ast.get_source_segment(source, node.annotation)
        else:
            continue
        out[name] = {"name": name, "inferred_type_name": annotation,
                     "default": ast.get_source_segment(source, node.value), "help": comments.get(node.end_lineno, "")}
    return out


def declared_kind(spec: dict):
    """The Python type a declared parameter takes (None: any JSON-like
    value; a tuple: one of them), from its annotation or literal default."""
    annotation = (spec.get("inferred_type_name") or "None").strip()
    if annotation != "None":
        m = re.match(r"(?:typing\.)?Optional\[(\w+)", annotation)
        base = (m.group(1) if m else re.split(r"[\[|\s]", annotation)[0]).lower()
        base = {"tuple": "list", "sequence": "list", "mapping": "dict"}.get(base, base)
        kind = KINDS.get(base)
        if kind is None:
            return None
        if m or "None" in [part.strip() for part in annotation.split("|")[1:]]:
            return (kind, type(None))
        return kind
    try:
        default = ast.literal_eval(spec.get("default", "None"))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if default is None:
        return None
    if isinstance(default, tuple):
        return list
    return type(default) if type(default) in KINDS.values() else None


def _fits(value, kind) -> bool:
    if kind is None:
        return True
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds and type(value) is int:
        return True
    return type(value) in kinds


def check_parameters(params: dict, declared: dict) -> dict:
    """Check ``params`` (name -> value) against ``declared`` (notebook name
    -> papermill.inspect_notebook result); return them unchanged or raise
    ParameterError naming the parameter, the notebook and what it takes."""
    for name, value in params.items():
        check_value(name, value)
        for nb, specs in declared.items():
            if name not in specs:
                continue
            kind = declared_kind(specs[name])
            if not _fits(value, kind):
                kinds = kind if isinstance(kind, tuple) else (kind,)
                want = " or ".join(_TYPE_WORDS[k] for k in kinds)
                hint = (f"; to pass it as text, quote it as JSON: -p {name} '\"{json.dumps(value)}\"'"
                        if str in kinds and (value is None or type(value) in (int, float, bool)) else "")
                raise ParameterError(f"parameter {name} of {nb} takes {want} (default {specs[name].get('default')}), "
                                     f"not {_word(value)} {json.dumps(value)}{hint}")
    return params


def injected_cell(params: dict) -> str:
    """The source of the cell papermill injects for ``params`` (its own
    translator for Python kernels)."""
    from papermill.translators import PythonTranslator
    return PythonTranslator.codify(params)


def _literal_node(node) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is None or type(node.value) in (bool, int, float, str)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float)
    if isinstance(node, ast.List):
        return all(_literal_node(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _literal_node(k) for k in node.keys) and all(_literal_node(v) for v in node.values)
    return False


def same_data(a, b) -> bool:
    """Equal and of the same types all the way down (``1 != True`` here)."""
    if type(a) is not type(b):
        return False
    if type(a) is list:
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(same_data(a[k], b[k]) for k in a)
    return a == b


def check_literal_cell(source: str, params: dict) -> None:
    """Raise ParameterError unless ``source`` is only ``NAME = literal``
    lines, one per parameter in order, each evaluating to the given value."""
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise ParameterError(f"the parameters cell would not be valid Python ({e.msg}); refusing to run") from None
    names = []
    for stmt in tree.body:
        ok = (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
              and _literal_node(stmt.value))
        if not ok:
            raise ParameterError(f"the parameters cell would hold code, not only literals "
                                 f"(line {stmt.lineno}); refusing to run")
        name = stmt.targets[0].id
        if name not in params or not same_data(ast.literal_eval(stmt.value), params[name]):
            raise ParameterError(f"parameter {name}: the parameters cell would not hold the value given; "
                                 "refusing to run")
        names.append(name)
    if names != list(params):
        raise ParameterError("the parameters cell would not assign exactly the parameters given; refusing to run")
