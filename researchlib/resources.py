"""Resources (term groups, codebooks, speakers, targets) are YAML data files in
``researchlib/resources``; every function that uses one also accepts a path or
an already-parsed dict/list, so users can pass their own."""
from __future__ import annotations

import copy
import hashlib
import json
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import ResourceError
from .paths import RESOURCES

__all__ = ["load_resource", "resource_hash"]


def load_resource(spec, kind: str, default: str):
    """Return parsed YAML for ``spec``: None (the default), a bundled name
    (e.g. ``"study"``), a path, or a dict/list passed through."""
    if spec is None:
        spec = default
    if isinstance(spec, (dict, list)):
        return spec
    path = Path(spec)
    if not path.suffix:
        folder = RESOURCES / "codebooks" if kind == "codebook" else RESOURCES
        path = folder / f"{spec}.yaml"
        if not path.exists():
            names = sorted(p.stem for p in folder.glob("*.yaml"))
            raise ResourceError(f"no bundled {kind} named {spec!r}; bundled: {', '.join(names)}; or pass a path")
    if not path.exists():
        raise ResourceError(f"{kind} file {path} does not exist")
    st = path.stat()
    # parsing YAML is slow: remembered per file state (a changed file is parsed again)
    return copy.deepcopy(_parsed(path, str(path.resolve()), st.st_mtime_ns, st.st_size, kind))


# libyaml's safe loader when PyYAML was built with it: same documents, 8x faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=64)
def _parsed(path: Path, resolved: str, mtime_ns: int, size: int, kind: str):
    """The parsed YAML of ``path`` (the file ``resolved``) as it was at
    (``mtime_ns``, ``size``); errors name ``path`` as given."""
    return _parse(path, kind)


def _parse(path: Path, kind: str):
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ResourceError(f"{where}: not valid YAML ({getattr(e, 'problem', e)})") from None
    if data is None:
        raise ResourceError(f"{path}: empty {kind} file")
    return data


def resource_hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]
