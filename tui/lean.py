"""typing.NamedTuple without importing typing, for the modules `implan list` and `implan
outstanding` import: importing typing and building each NamedTuple through it costs those
commands a few milliseconds of their 40, more than the work they do on a few plans.

Type checkers see typing.NamedTuple itself (TYPE_CHECKING is True only for them). At run time
a class written `class X(NamedTuple): a: int; b: str = ""` is made as typing makes it: a
collections.namedtuple of its annotated fields, with their defaults, and the class body's
methods, properties and docstring set on it. Modules that need only names for annotations
import them under `if TYPE_CHECKING:` with `TYPE_CHECKING = False` of their own.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    # What typing.NamedTupleMeta leaves out of the class body (the namedtuple makes its own).
    _SKIPPED = frozenset({"__module__", "__qualname__", "__annotations__", "__orig_bases__", "__classcell__"})

    class _NamedTupleMeta(type):
        def __new__(mcs, name, bases, namespace):
            if namespace.get("_lean_root"):
                return super().__new__(mcs, name, bases, namespace)
            annotations = namespace.get("__annotations__", {})
            fields = list(annotations)
            defaults = [namespace[f] for f in fields if f in namespace]
            made = collections.namedtuple(name, fields, defaults=defaults, module=namespace.get("__module__"))
            made.__qualname__ = namespace.get("__qualname__", name)
            made.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key not in _SKIPPED and key not in annotations:
                    setattr(made, key, value)
            return made

    class NamedTuple(metaclass=_NamedTupleMeta):
        _lean_root = True
