"""Bounded memory of computed values, for results made in batches.

Method
------
A function of one value is memoised with ``functools.lru_cache(maxsize=N)``
(the package's rule: every cache has a stated bound). Some results are
computed many at a time (sentence embeddings: one model call for a whole
batch), which ``lru_cache`` cannot fill; :class:`Memo` is the same idea for
them: a mapping of at most ``maxsize`` entries that forgets the least
recently used one first. Callers ask which keys are missing, compute those
in one batch, and :meth:`Memo.put` them.

Known limits
------------
The bound is a number of entries, not bytes; a memo lives in one process
(workers of a process pool each have their own).
"""
from __future__ import annotations

from collections import OrderedDict

__all__ = ["Memo"]


class Memo:
    """A least-recently-used mapping of at most ``maxsize`` entries.

    >>> m = Memo(maxsize=2)
    >>> m.put({"a": 1, "b": 2}); m.get("a"); m.put({"c": 3})
    1
    >>> sorted(m.missing(["a", "b", "c"]))
    ['b']
    """

    def __init__(self, maxsize: int):
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, not {maxsize}")
        self.maxsize = maxsize
        self._data: OrderedDict = OrderedDict()

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    def get(self, key, default=None):
        """The value of ``key`` (now the most recently used), else ``default``."""
        if key not in self._data:
            return default
        self._data.move_to_end(key)
        return self._data[key]

    def missing(self, keys) -> list:
        """The distinct ``keys`` not held, in order of first appearance."""
        return [k for k in dict.fromkeys(keys) if k not in self._data]

    def put(self, items) -> None:
        """Store ``items`` (a mapping), forgetting the least recently used
        entries beyond ``maxsize``."""
        for k, v in items.items():
            self._data[k] = v
            self._data.move_to_end(k)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def clear(self) -> None:
        self._data.clear()
