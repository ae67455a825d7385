"""How the public API keeps one grammar while it changes: keyword-only
options, renamed functions, and measure modules you can call.

Method: three small tools, used by the measure modules and ``__init__``.

- :func:`keyword_options` marks a function whose options became
  keyword-only (scikit-learn style: ``f(data, *, option=...)``). For one
  release a call that still passes options by position works and raises a
  ``DeprecationWarning`` naming the keywords to use; the signature
  (``inspect.signature``) already shows them keyword-only.
- :func:`renamed_keywords` accepts an option's old name (``n_jobs``) for
  one release, warning with the new one (``jobs``).
- :func:`renamed` gives the old name of a renamed function: it calls the new
  one (taking the old positional order for one release) and warns with the
  new name.
- :func:`callable_module` lets a module whose name is also its measure be
  both: ``import researchlib.sentiment as m; m.score_texts`` is the module,
  and ``rl.sentiment(corpus)`` calls ``researchlib.sentiment.sentiment``.
  Python binds ``researchlib.sentiment`` to one object only (the attribute
  of the package, which ``import researchlib.sentiment as m`` reads first),
  so that object is the module, made callable.

Known limits: a callable module is not a function (``inspect.isfunction``
is False; it cannot be pickled — pass ``researchlib.sentiment.sentiment`` to
a process pool); positional options are mapped in the order of the new
signature, so a deprecated call is only right where that order is the old
one (it is, for every function here).
"""
from __future__ import annotations

import functools
import inspect
import sys
import types
import warnings

__all__ = ["keyword_options", "renamed_keywords", "renamed", "callable_module", "CallableModule"]


def _slots(func, order=None) -> tuple:
    """(how many arguments ``func`` takes by position, the names that
    options passed past them stand for: ``order`` past those, else its
    keyword-only parameters in order)."""
    params = list(inspect.signature(func).parameters.values())
    allowed = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
    names = list(order)[allowed:] if order else [p.name for p in params if p.kind == p.KEYWORD_ONLY]
    return allowed, names


def _as_keywords(name, slots, args, kwargs, stacklevel):
    """Move positional options past the signature's positional ones to keywords."""
    allowed, names = slots
    if len(args) <= allowed:
        return args, kwargs
    extra = args[allowed:]
    if len(extra) > len(names):
        raise TypeError(f"{name}() takes {allowed} positional argument(s) and at most {len(names)} options "
                        f"but {len(args)} were given")
    moved = dict(zip(names, extra))
    clash = set(moved) & set(kwargs)
    if clash:
        raise TypeError(f"{name}() got multiple values for {sorted(clash)}")
    shown = ", ".join(f"{k}=..." for k in moved)
    warnings.warn(f"{name}(): pass options by keyword ({shown}); options by position stop working in the next "
                  "release", DeprecationWarning, stacklevel=stacklevel)
    return args[:allowed], {**kwargs, **moved}


def keyword_options(func):
    """Decorator: ``func``'s options are keyword-only; positional ones still
    work for one release, with a DeprecationWarning."""
    slots = _slots(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if len(args) > slots[0]:
            args, kwargs = _as_keywords(func.__name__, slots, args, kwargs, 3)
        return func(*args, **kwargs)
    return wrapper


def renamed_keywords(**old_to_new):
    """Decorator: options renamed ``old=new`` still work under the old name
    for one release, with a DeprecationWarning naming the new one."""
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old}= and {new}=; use {new}=")
                    warnings.warn(f"{func.__name__}(): {old}= is deprecated and goes in the next release; "
                                  f"use {new}=", DeprecationWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)
        return wrapper
    return decorate


def renamed(func, old: str, *, positional: tuple = ()):
    """The deprecated name ``old`` of ``func``: calls it and warns with the
    new name. ``positional``: the old signature's positional parameter names,
    in order, for old calls that pass options by position."""
    new = func.__name__
    slots = _slots(inspect.unwrap(func), positional)

    @functools.wraps(func)
    def alias(*args, **kwargs):
        warnings.warn(f"researchlib.{old} is deprecated and goes in the next release; use researchlib.{new} "
                      "(options by keyword)", DeprecationWarning, stacklevel=2)
        if positional:
            args, kwargs = _as_keywords(old, slots, args, kwargs, 3)
        return func(*args, **kwargs)
    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated name of :func:`{func.__module__}.{new}` (same result; options by keyword)."
    return alias


class CallableModule(types.ModuleType):
    """A module that is also its measure: calling ``researchlib.<name>``
    calls the function ``<name>`` defined in it."""

    def _callable_target(self):
        return getattr(self, self.__name__.rpartition(".")[2])

    def __call__(self, *args, **kwargs):
        return self._callable_target()(*args, **kwargs)

    @property
    def __signature__(self):
        return inspect.signature(self._callable_target())

    def __repr__(self):
        name = self.__name__.rpartition(".")[2]
        return f"<module {self.__name__!r}, callable as {self.__name__}.{name}{self.__signature__}>"


def callable_module(name: str) -> types.ModuleType:
    """Make the imported module ``name`` callable (see :class:`CallableModule`)."""
    module = sys.modules[name]
    if not callable(getattr(module, name.rpartition(".")[2], None)):
        raise TypeError(f"{name} has no function {name.rpartition('.')[2]} to call")
    module.__class__ = CallableModule
    return module
